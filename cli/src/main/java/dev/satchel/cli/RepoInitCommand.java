package dev.satchel.cli;

import dev.satchel.signing.SigningKey;
import dev.satchel.signing.tuf.RepositoryException;
import dev.satchel.signing.tuf.TufRepository;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel repo init}: version 1 of root, targets, snapshot and timestamp. */
@Command(name = "init",
        header = "Create a TUF update repository: keys and first metadata.",
        description = {
            "Create a TUF repository: metadata/1.root.json naming the keys of the four roles, empty targets, snapshot "
                    + "and timestamp, consistent snapshots on. Ship 1.root.json with devices as the trusted root.",
            "Keys: ed25519 or ecdsa-p256 private key PEM files (satchel keygen); one key may serve several roles."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel repo init --repo site --root-key root-a.key --root-key root-b.key --root-threshold 2 \\",
            "      --targets-key targets.key --snapshot-key online.key --timestamp-key online.key \\",
            "      --expires timestamp=2",
        })
final class RepoInitCommand implements Callable<Integer> {
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Repository directory (created).")
    Path repo;

    @Option(names = "--root-key", paramLabel = "KEY", required = true, description = "Root private key (repeatable).")
    List<Path> rootKeys;

    @Option(names = "--root-threshold", paramLabel = "N", defaultValue = "1", description = "Root signatures required (default 1).")
    int rootThreshold;

    @Option(names = "--targets-threshold", paramLabel = "N", defaultValue = "1", description = "Targets signatures required (default 1).")
    int targetsThreshold;

    @Option(names = "--snapshot-threshold", paramLabel = "N", defaultValue = "1", description = "Snapshot signatures required (default 1).")
    int snapshotThreshold;

    @Option(names = "--timestamp-threshold", paramLabel = "N", defaultValue = "1", description = "Timestamp signatures required (default 1).")
    int timestampThreshold;

    @Option(names = "--targets-key", paramLabel = "KEY", required = true, description = "Targets private key (repeatable).")
    List<Path> targetsKeys;

    @Option(names = "--snapshot-key", paramLabel = "KEY", required = true, description = "Snapshot private key (repeatable).")
    List<Path> snapshotKeys;

    @Option(names = "--timestamp-key", paramLabel = "KEY", required = true, description = "Timestamp private key (repeatable).")
    List<Path> timestampKeys;

    @Option(names = "--expires", paramLabel = "ROLE=DAYS", description = "Validity of new metadata (defaults root=365, targets=365, snapshot=90, timestamp=1).")
    Map<String, Integer> expires;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of encrypted keys; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<SigningKey> signers = new ArrayList<>();
        Map<String, TufRepository.RoleKeys> roles = new LinkedHashMap<>();
        try {
            roles.put("root", role(rootKeys, rootThreshold, signers));
            roles.put("targets", role(targetsKeys, targetsThreshold, signers));
            roles.put("snapshot", role(snapshotKeys, snapshotThreshold, signers));
            roles.put("timestamp", role(timestampKeys, timestampThreshold, signers));
            Path root = RepoCommand.open(repo, expires).init(roles, signers);
            spec.commandLine().getOut().println("created " + repo + "; ship " + root + " with devices as the trusted root");
        } catch (RepositoryException ex) {
            throw RepoCommand.refused(ex);
        }
        return ExitCode.OK.code();
    }

    private TufRepository.RoleKeys role(List<Path> files, int threshold, List<SigningKey> signers) throws Exception {
        List<PublicKeyInfo> pubs = new ArrayList<>();
        for (SigningKey k : RepoCommand.keys(files, passphraseFile)) {
            pubs.add(k.publicKey());
            signers.add(k);
        }
        return TufRepository.RoleKeys.of(pubs, threshold);
    }
}
