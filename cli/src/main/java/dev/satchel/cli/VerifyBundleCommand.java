package dev.satchel.cli;

import dev.satchel.verifier.bundle.Manifest;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel verify}: verifies a bundle at build time with exactly the device's verifier code. */
@Command(name = "verify",
        header = "Verify a bundle with the device verifier's code.",
        description = {
            "Verify a Satchel bundle with the device verifier's code: canonical ZIP layout,",
            "manifest, every digest, and the OMS signature against the trusted keys.",
            "Exit 4 with the rejection code (docs/bundle-format.md section 7) if anything fails.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel verify tiny-3.bundle --trust trust.json",
            "  satchel verify tiny-3.bundle --public-key release.pub --format json",
        })
final class VerifyBundleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "BUNDLE", description = "Bundle file.")
    Path bundle;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Trust trust;

    static final class Trust {
        @Option(names = "--public-key", paramLabel = "PUB", description = "Trust exactly this public key (SPKI PEM).")
        Path publicKey;

        @Option(names = "--trust", paramLabel = "TRUSTFILE", description = "Trust file (docs/trust-format.md).")
        Path trustFile;
    }

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        VerifiedBundle v = TrustFiles.verifyBundle(bundle, TrustFiles.load(trust.publicKey, trust.trustFile));
        Manifest m = v.manifest();
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("schema", "satchel.verify/v1");
            o.put("bundle", bundle.toString());
            o.put("verified", true);
            o.put("name", m.name());
            o.put("version", m.version());
            o.put("displayVersion", m.displayVersion());
            o.put("minOnnxRuntime", m.minOnnxRuntime());
            List<Object> entries = new ArrayList<>();
            for (VerifiedBundle.Entry e : v.entries()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", e.name());
                x.put("offset", e.offset());
                x.put("length", e.length());
                x.put("sha256", e.sha256());
                entries.add(x);
            }
            o.put("entries", entries);
            out.println(Json.writePretty(o));
        } else {
            out.println("OK " + bundle + ": " + m.name() + " version " + m.version() + " (" + m.displayVersion()
                    + "), signature verified, " + v.entries().size() + " entries");
            for (VerifiedBundle.Entry e : v.entries()) {
                out.println("  " + e.name() + "  offset " + e.offset() + "  " + e.length() + " bytes  sha256:" + e.sha256());
            }
        }
        return ExitCode.OK.code();
    }
}
