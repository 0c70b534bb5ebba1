package dev.satchel.cli;

import dev.satchel.signing.tuf.RepositoryException;
import dev.satchel.signing.tuf.TufRepository;
import dev.satchel.verifier.bundle.BundleFormat;
import dev.satchel.verifier.bundle.Manifest;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.json.Json;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel publish}: adds a verified bundle to a TUF repository. */
@Command(name = "publish",
        header = "Add a bundle to a TUF update repository.",
        description = {
            "Add a bundle to a TUF update repository (satchel repo init) as target NAME/NAME-VERSION.bundle, with the "
                    + "manifest's name, version and device claims in the target's custom data, and publish new targets, "
                    + "snapshot and timestamp metadata. The bundle is first verified like 'satchel verify'.",
            "--keys: private keys meeting the targets, snapshot and timestamp thresholds. See docs/update-repository.md."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  satchel publish tiny-3.bundle --repo site --public-key release.pub \\",
            "      --keys targets.key,online.key"})
final class PublishCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle file.")
    Path bundle;

    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Repository directory.")
    Path repo;

    @Option(names = {"--keys", "--key"}, paramLabel = "KEY", split = ",", required = true, description = "Signing private keys.")
    List<Path> keys;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Trust trust;

    static final class Trust {
        @Option(names = "--public-key", paramLabel = "PUB", description = "Bundle signer's public key (SPKI PEM).")
        Path publicKey;

        @Option(names = "--trust", paramLabel = "TRUSTFILE", description = "Trust file for the bundle signature.")
        Path trustFile;
    }

    @Option(names = "--expires", paramLabel = "ROLE=DAYS", description = "Validity of new metadata.")
    Map<String, Integer> expires;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of encrypted keys; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VerifiedBundle v = TrustFiles.verifyBundle(bundle, TrustFiles.load(trust.publicKey, trust.trustFile));
        Manifest m = v.manifest();
        ByteBuffer raw = v.map(BundleFormat.MANIFEST_ENTRY);
        byte[] manifestBytes = new byte[raw.remaining()];
        raw.get(manifestBytes);
        Object compatibility = ((Map<?, ?>) Json.parse(manifestBytes)).get("compatibility");
        Map<String, Object> satchel = new LinkedHashMap<>();
        satchel.put("name", m.name());
        satchel.put("version", m.version());
        satchel.put("displayVersion", m.displayVersion());
        satchel.put("minOnnxRuntime", m.minOnnxRuntime());
        if (compatibility != null) {
            satchel.put("compatibility", compatibility);
        }
        String target = m.name() + "/" + m.name() + "-" + m.version() + ".bundle";
        try {
            TufRepository.Published p = RepoCommand.open(repo, expires)
                    .publish(bundle, target, Map.of("satchel", satchel), RepoCommand.keys(keys, passphraseFile));
            spec.commandLine().getOut().println("published " + p.targetPath() + " (" + p.length() + " bytes, sha256 " + p.sha256()
                    + "): targets version " + p.targetsVersion() + ", timestamp version " + p.timestampVersion());
        } catch (RepositoryException ex) {
            throw RepoCommand.refused(ex);
        }
        return ExitCode.OK.code();
    }
}
