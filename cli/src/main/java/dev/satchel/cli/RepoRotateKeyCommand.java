package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import dev.satchel.signing.tuf.RepositoryException;
import dev.satchel.signing.tuf.TufRepository;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel repo rotate-key}: a new root version with new keys for one role. */
@Command(name = "rotate-key",
        description = {
            "Replace the keys of one role (root, targets, snapshot or timestamp): writes root version N+1, signed by "
                    + "a threshold of the old and of the new root keys, then re-signs the role's metadata with the new "
                    + "keys. Devices follow the chain; after a timestamp or snapshot rotation they drop what the old key "
                    + "signed (recovery from a compromised online key).",
            "--new-key takes private keys (which then also sign) or public keys."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel repo rotate-key --repo site --role timestamp --new-key ts-2027.key \\",
            "      --keys root.key",
            "  satchel repo rotate-key --repo site --role root --new-key root-2027.key \\",
            "      --keys root.key",
        })
final class RepoRotateKeyCommand implements Callable<Integer> {
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Repository directory.")
    Path repo;

    @Option(names = "--role", paramLabel = "ROLE", required = true, description = "root, targets, snapshot or timestamp.")
    String role;

    @Option(names = "--new-key", paramLabel = "KEY", required = true, description = "The role's new key(s) (repeatable).")
    List<Path> newKeys;

    @Option(names = "--threshold", paramLabel = "N", defaultValue = "1", description = "Signatures the role needs (default 1).")
    int threshold;

    @Option(names = {"--keys", "--key"}, paramLabel = "KEY", split = ",",
            description = "Private keys that sign: the current root keys, and keys of the roles to re-sign.")
    List<Path> keys;

    @Option(names = "--expires", paramLabel = "ROLE=DAYS", description = "Validity of new metadata.")
    Map<String, Integer> expires;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of encrypted keys; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!List.of("root", "targets", "snapshot", "timestamp").contains(role)) {
            throw new CliException(ExitCode.USAGE, "--role: expected root, targets, snapshot or timestamp, got '" + role + "'");
        }
        List<SigningKey> signers = RepoCommand.keys(keys, passphraseFile);
        List<PublicKeyInfo> pubs = new ArrayList<>();
        for (Path f : newKeys) {
            if (Files.readString(f).contains("PRIVATE KEY")) {
                SigningKey k = RepoCommand.keys(List.of(f), passphraseFile).get(0);
                signers.add(k);
                pubs.add(k.publicKey());
            } else {
                pubs.add(KeyFiles.readPublicKey(f));
            }
        }
        try {
            long v = RepoCommand.open(repo, expires).rotate(role, TufRepository.RoleKeys.of(pubs, threshold), signers);
            spec.commandLine().getOut().println("rotated the " + role + " keys: " + repo + "/metadata/" + v + ".root.json");
        } catch (RepositoryException ex) {
            throw RepoCommand.refused(ex);
        }
        return ExitCode.OK.code();
    }
}
