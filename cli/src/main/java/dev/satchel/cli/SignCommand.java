package dev.satchel.cli;

import dev.satchel.signing.ModelSigner;
import dev.satchel.signing.SignOptions;
import dev.satchel.signing.SignResult;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.signature.Serialization;
import java.io.PrintWriter;
import java.nio.file.Files;
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

/** {@code satchel sign}: an OpenSSF Model Signing (OMS) signature for a model file or directory. */
@Command(name = "sign",
        header = "Sign a model file or folder (OpenSSF Model Signing).",
        description = {
            "Sign a model (a file or a directory) in the OpenSSF Model Signing format:",
            "a Sigstore bundle holding a DSSE-signed in-toto statement with the SHA-256",
            "of every file. The written signature is re-verified with the device",
            "verifier before success is reported.",
            "Default output: PATH/model.sig for a directory, PATH.sig for a file."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel sign my-model/ --key ci-signing.key",
            "  satchel sign model.onnx --key ci.key --certificate-chain chain.pem",
            "  SATCHEL_PKCS11_PIN=... satchel sign my-model/ --pkcs11-config hsm.cfg --key-alias ci",
            "  satchel sign big-model/ --key ci.key --hash sharded",
        })
final class SignCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "Model file or directory.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource keySource;

    static final class KeySource {
        @Option(names = "--key", paramLabel = "KEY", description = "Private key PEM (PKCS#8, optionally encrypted, or SEC1).")
        Path key;

        @ArgGroup(exclusive = false)
        Pkcs11 pkcs11;
    }

    static final class Pkcs11 {
        @Option(names = "--pkcs11-config", paramLabel = "FILE", required = true,
                description = "SunPKCS11 configuration file (library, slot) of the token holding the key.")
        Path config;

        @Option(names = "--key-alias", paramLabel = "ALIAS", required = true, description = "Alias (label) of the key on the token.")
        String alias;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "SIG", description = "Signature file to write.")
    Path output;

    @Mixin
    KeyCredentials credentials;

    @Option(names = "--hash", paramLabel = "METHOD", defaultValue = "files",
            description = "files (default: whole-file SHA-256, the interoperable core) or sharded (OMS shards method: "
                    + "chunks of large files hashed in parallel; the Python verifier may need explicit settings for it).")
    String hash;

    @Option(names = "--shard-size", paramLabel = "BYTES", defaultValue = "" + Serialization.DEFAULT_SHARD_SIZE,
            description = "Shard size for --hash sharded (default: ${DEFAULT-VALUE}).")
    long shardSize;

    @Option(names = "--ignore", paramLabel = "PATH", description = "Relative path to leave out (repeatable); .git* paths always are.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads (default: number of processors).")
    Integer threads;

    @Option(names = "--recheck-files",
            description = "Self-check by hashing every file a second time (default: check the written signature against the digests just computed).")
    boolean recheckFiles;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SigningKey key = credentials.load(keySource.key, keySource.pkcs11);
        SignOptions options = SignOptions.of(model).withIgnorePaths(ignore);
        if (output != null) {
            options = options.withSignature(output);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new CliException(ExitCode.USAGE, "--threads: expected a positive number, got " + threads);
            }
            options = options.withThreads(threads);
        }
        if (recheckFiles) {
            options = options.withRehashOnSelfCheck();
        }
        if ("sharded".equals(hash)) {
            if (shardSize < 1) {
                throw new CliException(ExitCode.USAGE, "--shard-size: expected a positive number, got " + shardSize);
            }
            options = options.withSharding(shardSize);
        } else if (!"files".equals(hash)) {
            throw new CliException(ExitCode.USAGE, "--hash: expected files or sharded, got '" + hash + "'");
        }
        // Whether the signature can be written where asked, before the model is hashed: a failure
        // then names the signature file, not the temporary file the signer writes first.
        Path dir = options.signature().toAbsolutePath().getParent();
        try {
            Files.delete(Files.createTempFile(dir, ".satchel-write-check-", ".tmp"));
        } catch (java.io.IOException e) {
            throw dev.satchel.model.ModelWriter.writeFailure(options.signature(), e);
        }
        SignResult r = ModelSigner.sign(key, options);
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", "satchel.sign/v1");
            m.put("model", model.toString());
            m.put("signature", r.signature().toString());
            m.put("rootDigest", "sha256:" + r.verified().rootDigest());
            m.put("resources", r.verified().resources().size());
            m.put("method", r.verified().serialization().method());
            m.put("keyId", r.verified().signer().keyId());
            m.put("algorithm", r.verified().signer().algorithm().id());
            m.put("verified", true);
            out.println(Json.writePretty(m));
        } else {
            out.println("signed " + model + " -> " + r.signature());
            out.println("  " + r.verified().resources().size() + " resources (" + r.verified().serialization().method()
                    + "), root sha256 " + r.verified().rootDigest());
            out.println("  " + key.description() + "; re-verified OK");
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
