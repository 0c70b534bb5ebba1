package dev.satchel.cli;

import dev.satchel.model.ModelReader;
import dev.satchel.packager.bundle.BundleInput;
import dev.satchel.packager.bundle.BundleSpec;
import dev.satchel.packager.bundle.BundleWriteException;
import dev.satchel.packager.bundle.BundleWriter;
import dev.satchel.packager.bundle.PreparedBundle;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.signature.Dsse;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.OmsStatement;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.Serialization;
import dev.satchel.verifier.signature.TrustConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code satchel pack}: a signed, reproducible bundle (docs/bundle-format.md). Composes the
 * packager (manifest and archive) with the signing module (OMS signature over every entry); the
 * two modules do not know each other. The written bundle is re-verified with the device verifier
 * before success is reported.
 */
@Command(name = "pack",
        header = "Pack models into a signed, reproducible bundle.",
        description = {
            "Pack models and their files into a signed bundle (docs/bundle-format.md):",
            "stored ZIP entries aligned to 16 KiB so devices mmap models in place, a",
            "satchel.json manifest and an OMS model.sig over every entry. Same inputs,",
            "same bytes; with ECDSA keys only the signature differs between runs (its",
            "nonce is random), with Ed25519 keys the whole bundle is identical.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel pack model.onnx --name tiny --version 3 --key ci.key -o tiny-3.bundle",
            "  satchel pack model-dir/ --name tiny --version 4 --display-version 1.4.0 \\",
            "      --check-report check.json --ep cpu --min-ram 2147483648 \\",
            "      --pkcs11-config softhsm.cfg --key-alias release -o tiny-4.bundle",
        })
final class PackCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL_OR_DIR",
            description = "Model files or directories (a directory's files keep their relative paths).")
    List<Path> inputs;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "Model name ([a-z0-9][a-z0-9._-]*).")
    String name;

    // --version here is the bundle's release counter (the CLI shape), which shadows the
    // inherited -V/--version of the root; so this command declares its own --help.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", required = true, paramLabel = "N",
            description = "Monotonic release counter (integer >= 1); devices refuse versions not above the installed one.")
    long version;

    @Option(names = "--display-version", paramLabel = "TEXT", description = "Human version (default: the --version number).")
    String displayVersion;

    @Option(names = "--min-ort", paramLabel = "X.Y.Z", defaultValue = "1.17.0",
            description = "Lowest ONNX Runtime version the models need (default: ${DEFAULT-VALUE}).")
    String minOrt;

    @Option(names = "--device", paramLabel = "PROFILE=VERDICT",
            description = "Compatibility claim from 'satchel check' (repeatable): VERDICT is compatible or incompatible[:reason].")
    List<String> devices = new ArrayList<>();

    @Option(names = "--check-report", paramLabel = "JSON",
            description = "Take the per-device claims from a 'satchel check --format json' report (satchel.check/v1): "
                    + "verdict fail = incompatible (with the first failing finding as reason), pass or warn = compatible.")
    Path checkReport;

    @Option(names = "--min-ram", paramLabel = "BYTES", defaultValue = "0", description = "Minimum device RAM claim.")
    long minRam;

    @Option(names = "--ep", paramLabel = "EP", description = "Execution provider that runs the models (repeatable, e.g. cpu, nnapi).")
    List<String> eps = new ArrayList<>();

    @Option(names = "--quantization-report", paramLabel = "JSON",
            description = "Quantization report (a JSON object with a string 'method'); default {\"method\":\"none\"}.")
    Path quantizationReport;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "BUNDLE", description = "Bundle file to write.")
    Path output;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource keySource;

    static final class KeySource {
        @Option(names = "--key", paramLabel = "KEY", description = "Private key PEM (PKCS#8, optionally encrypted, or SEC1).")
        Path key;

        @ArgGroup(exclusive = false)
        SignCommand.Pkcs11 pkcs11;

        @Option(names = "--unsigned-for-testing", description = "Write no model.sig: devices refuse such a bundle.")
        boolean unsigned;
    }

    @Mixin
    KeyCredentials credentials;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SigningKey key = loadKey();
        BundleSpec bundleSpec = BundleSpec.of(name, version, collectInputs())
                .withDisplayVersion(displayVersion != null ? displayVersion : Long.toString(version))
                .withMinOnnxRuntime(minOrt)
                .withCompatibility(claims(), minRam, eps)
                .withQuantization(quantization())
                .withTool(new VersionProvider().getVersion()[0]);
        for (BundleInput in : bundleSpec.files()) {
            if (in.kind().equals("model")) {
                // A bundle must never carry a model the device cannot load: parse and validate it
                // (graph, external data present and in range) before anything is signed.
                ModelReader.read(in.source());
            }
        }
        PreparedBundle prepared;
        try {
            prepared = BundleWriter.prepare(bundleSpec);
            byte[] signature = key == null ? null : sign(key, prepared.signedDigests());
            try {
                BundleWriter.write(prepared, signature, output);
            } catch (java.io.IOException ex) {
                throw dev.satchel.model.ModelWriter.writeFailure(output, ex);
            }
        } catch (BundleWriteException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, ex.getMessage(), ex);
        }
        VerifiedBundle verified;
        try {
            VerificationPolicy policy = key == null ? VerificationPolicy.allowUnsignedForTesting().build()
                    : VerificationPolicy.requireSignature(OmsSignatureCheck.of(selfTrust(key)));
            verified = BundleVerifier.create(policy).verify(output);
        } catch (VerificationException ex) {
            Files.deleteIfExists(output);
            throw new CliException(ExitCode.INTERNAL, "the bundle just written does not verify, so it was removed: "
                    + ex.code() + ": " + ex.getMessage(), ex);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schema", "satchel.pack/v1");
            m.put("bundle", output.toString());
            m.put("name", name);
            m.put("version", version);
            m.put("bytes", verified.size());
            m.put("signed", key != null);
            m.put("signer", key == null ? null : key.description());
            List<Object> entries = new ArrayList<>();
            for (VerifiedBundle.Entry e : verified.entries()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", e.name());
                o.put("offset", e.offset());
                o.put("length", e.length());
                o.put("sha256", e.sha256());
                entries.add(o);
            }
            m.put("entries", entries);
            out.println(Json.writePretty(m));
        } else {
            out.println("Packed " + name + " version " + version + " (" + prepared.payloads().size() + " files, "
                    + verified.size() + " bytes) to " + output);
            out.println(key == null ? "UNSIGNED: devices will refuse this bundle" : "Signed by " + key.description());
        }
        return ExitCode.OK.code();
    }

    private SigningKey loadKey() throws Exception {
        if (keySource.unsigned) {
            return null;
        }
        SigningKey key = credentials.load(keySource.key, keySource.pkcs11);
        return key;
    }

    /** OMS statement over the entry digests, DSSE-signed: the same bundle ModelSigner writes for a directory. */
    static byte[] sign(SigningKey key, Map<String, byte[]> digests) throws Exception {
        List<ResourceDigest> resources = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : digests.entrySet()) {
            resources.add(ResourceDigest.of(e.getKey(), "sha256", HexFormat.of().formatHex(e.getValue())));
        }
        byte[] payload = OmsStatement.of("bundle", resources, Serialization.files(List.of("model.sig"))).toJson();
        byte[] sig = key.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
        if (key.certificateChain().isEmpty()) {
            return OmsBundle.forKey(key.publicKey().keyId(), payload, sig).toJson();
        }
        List<byte[]> ders = new ArrayList<>();
        for (X509Certificate c : key.certificateChain()) {
            ders.add(c.getEncoded());
        }
        return OmsBundle.forCertificates(ders, payload, sig).toJson();
    }

    private static TrustConfig selfTrust(SigningKey key) {
        List<X509Certificate> chain = key.certificateChain();
        return chain.isEmpty() ? TrustConfig.ofPublicKey(key.publicKey())
                : TrustConfig.ofCertificateAuthorities(List.of(chain.get(chain.size() - 1)));
    }

    private List<BundleInput> collectInputs() throws Exception {
        List<BundleInput> out = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> walk = Files.walk(in)) {
                    for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                            continue;
                        }
                        String rel = in.relativize(p).toString().replace('\\', '/');
                        if (rel.equals(".git") || rel.startsWith(".git/") || rel.startsWith(".git")) {
                            continue;
                        }
                        out.add(BundleInput.of(rel, p));
                    }
                }
            } else if (Files.exists(in, LinkOption.NOFOLLOW_LINKS)) {
                out.add(BundleInput.of(in.getFileName().toString(), in));
            } else {
                throw new java.nio.file.NoSuchFileException(in.toString());
            }
        }
        return out;
    }

    private List<BundleSpec.DeviceClaim> claims() throws Exception {
        List<BundleSpec.DeviceClaim> out = new ArrayList<>();
        if (checkReport != null) {
            out.addAll(claimsFromCheckReport(checkReport));
        }
        for (String d : devices) {
            int eq = d.indexOf('=');
            if (eq <= 0) {
                throw new CliException(ExitCode.USAGE, "--device: expected PROFILE=compatible|incompatible[:reason], got '" + d + "'");
            }
            String verdict = d.substring(eq + 1);
            String reason = null;
            int colon = verdict.indexOf(':');
            if (colon >= 0) {
                reason = verdict.substring(colon + 1);
                verdict = verdict.substring(0, colon);
            }
            if (!verdict.equals("compatible") && !verdict.equals("incompatible")) {
                throw new CliException(ExitCode.USAGE, "--device: verdict must be compatible or incompatible, got '" + verdict + "'");
            }
            out.add(new BundleSpec.DeviceClaim(d.substring(0, eq), verdict.equals("compatible"), reason));
        }
        return out;
    }

    /** Reads the device verdicts of a {@code satchel.check/v1} report (docs/checker.md). */
    static List<BundleSpec.DeviceClaim> claimsFromCheckReport(Path file) throws Exception {
        List<BundleSpec.DeviceClaim> out = new ArrayList<>();
        try {
            JsonObject report = Json.parseObject(Files.readAllBytes(file));
            String schema = report.string("schema");
            if (!"satchel.check/v1".equals(schema)) {
                throw new CliException(ExitCode.INPUT_INVALID, file + ": /schema: expected satchel.check/v1, got " + schema);
            }
            dev.satchel.verifier.json.JsonArray devices = report.array("devices");
            for (int i = 0; i < devices.size(); i++) {
                JsonObject d = devices.object(i);
                String verdict = d.string("verdict");
                boolean compatible = !"fail".equals(verdict);
                String reason = null;
                dev.satchel.verifier.json.JsonArray findings = d.optArray("findings");
                for (int f = 0; !compatible && findings != null && f < findings.size() && reason == null; f++) {
                    JsonObject finding = findings.object(f);
                    if ("fail".equals(finding.optString("severity"))) {
                        reason = finding.optString("code") + ": " + finding.optString("message");
                    }
                }
                out.add(new BundleSpec.DeviceClaim(d.string("id"), compatible, reason));
            }
        } catch (dev.satchel.verifier.json.JsonException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, file + ": " + ex.getMessage(), ex);
        }
        return out;
    }

    private Map<String, Object> quantization() throws Exception {
        if (quantizationReport == null) {
            return Map.of("method", "none");
        }
        try {
            JsonObject o = Json.parseObject(Files.readAllBytes(quantizationReport));
            o.string("method");
            return o.asMap();
        } catch (dev.satchel.verifier.json.JsonException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, quantizationReport + ": " + ex.getMessage(), ex);
        }
    }
}
