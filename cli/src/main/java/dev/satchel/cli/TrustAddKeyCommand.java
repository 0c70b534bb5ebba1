package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.TrustConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel trust add-key}: trust a public key directly. */
@Command(name = "add-key", description = {"Trust a public key directly, optionally within a validity window.",
            "Creates the trust file if needed."},
        footerHeading = "%nExamples:%n",
        footer = {"  satchel trust add-key --trust trust.json --public-key ci.pub \\",
            "      --not-after 2027-01-01T00:00:00Z"})
final class TrustAddKeyCommand implements Callable<Integer> {
    @Option(names = "--trust", paramLabel = "TRUSTFILE", required = true, description = "Trust file to edit or create.")
    Path trust;

    @Option(names = "--public-key", paramLabel = "PUB", required = true, description = "SPKI PEM public key.")
    Path publicKey;

    @Option(names = "--not-before", paramLabel = "TIME", description = "Start of validity (RFC 3339 UTC).")
    String notBefore;

    @Option(names = "--not-after", paramLabel = "TIME", description = "End of validity, exclusive (RFC 3339 UTC).")
    String notAfter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PublicKeyInfo key = KeyFiles.readPublicKey(publicKey);
        TrustConfig c = TrustCommand.save(trust, TrustCommand.load(trust)
                .addKey(key, TrustCommand.instant("--not-before", notBefore), TrustCommand.instant("--not-after", notAfter)));
        spec.commandLine().getOut().println("trusted " + key + " in " + trust + " (" + c.keys().size() + " trusted keys)");
        return ExitCode.OK.code();
    }
}
