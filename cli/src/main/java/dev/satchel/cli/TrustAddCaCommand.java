package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.TrustFileBuilder;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel trust add-ca}: trust certificates chaining to a root. */
@Command(name = "add-ca", description = "Trust signatures whose certificate chain leads to this root certificate.",
        footerHeading = "%nExamples:%n",
        footer = {"  satchel trust add-ca --trust trust.json --certificate org-root-ca.pem"})
final class TrustAddCaCommand implements Callable<Integer> {
    @Option(names = "--trust", paramLabel = "TRUSTFILE", required = true, description = "Trust file to edit or create.")
    Path trust;

    @Option(names = "--certificate", paramLabel = "PEM", required = true, description = "Root certificate(s), PEM.")
    Path certificate;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrustFileBuilder b = TrustCommand.load(trust);
        for (X509Certificate c : KeyFiles.readCertificates(certificate)) {
            b.addCertificateAuthority(c);
        }
        TrustCommand.save(trust, b);
        spec.commandLine().getOut().println("trusted certificate authority " + certificate + " in " + trust);
        return ExitCode.OK.code();
    }
}
