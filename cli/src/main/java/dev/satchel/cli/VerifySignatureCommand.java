package dev.satchel.cli;

import dev.satchel.signing.ModelSigner;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.signature.VerifiedModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel verify-signature}: checks an OMS signature with the device verifier. */
@Command(name = "verify-signature",
        header = "Verify a model's OpenSSF Model Signing signature.",
        description = {
            "Verify an OpenSSF Model Signing signature: the signer is trusted (a public",
            "key, or a trust file with keys, certificate authorities, rotations and",
            "revocations), the DSSE signature is valid, and every file matches its",
            "signed SHA-256 with none missing or added.",
            "Exit 0 verified, 4 not, with one of the codes: UNSIGNED UNTRUSTED_KEY",
            "BAD_SIGNATURE DIGEST_MISMATCH MISSING_FILE UNLISTED_FILE INVALID_MODEL_FILE",
            "MALFORMED UNSUPPORTED_ALGORITHM KEY_EXPIRED KEY_REVOKED; 3 invalid input."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel verify-signature my-model/ --sig my-model/model.sig --public-key ci.pub",
            "  satchel verify-signature model.onnx --sig model.onnx.sig --trust trust.json",
        })
final class VerifySignatureCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "Model file or directory.")
    Path model;

    @Option(names = "--sig", paramLabel = "SIG", description = "Signature file (default: PATH/model.sig or PATH.sig).")
    Path sig;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Trust trust;

    static final class Trust {
        @Option(names = "--public-key", paramLabel = "PUB", description = "Trust exactly this public key (SPKI PEM).")
        Path publicKey;

        @Option(names = "--trust", paramLabel = "TRUSTFILE", description = "Trust file (docs/trust-format.md).")
        Path trustFile;
    }

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: number of processors).")
    Integer threads;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TrustConfig config = TrustFiles.load(trust.publicKey, trust.trustFile);
        ModelSignatureVerifier verifier = ModelSignatureVerifier.create(config);
        if (threads != null) {
            if (threads < 1) {
                throw new CliException(ExitCode.USAGE, "--threads: expected a positive number, got " + threads);
            }
            verifier = verifier.withThreads(threads);
        }
        if (!Files.exists(model)) {
            throw new CliException(ExitCode.INPUT_INVALID, model + ": no such file or directory");
        }
        Path signature = sig != null ? sig : ModelSigner.defaultSignaturePath(model);
        VerifiedModel v = verifier.verify(model, signature);
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", "satchel.verify-signature/v1");
            m.put("model", model.toString());
            m.put("signature", signature.toString());
            m.put("verified", true);
            m.put("rootDigest", "sha256:" + v.rootDigest());
            m.put("resources", v.resources().size());
            m.put("method", v.serialization().method());
            m.put("keyId", v.signer().keyId());
            m.put("signer", v.signerDescription());
            out.println(Json.writePretty(m));
        } else {
            out.println("verified " + model + ": " + v.resources().size() + " resources, root sha256 " + v.rootDigest());
            out.println("  signed by " + v.signerDescription());
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
