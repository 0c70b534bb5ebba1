package dev.satchel.cli;

import dev.satchel.cli.build.BuildConfig;
import dev.satchel.cli.build.BuildConfigException;
import dev.satchel.cli.build.BuildConfigParser;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.check.CheckOptions;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.devices.check.CheckReportJson;
import dev.satchel.devices.check.CompatibilityChecker;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.packager.bundle.BundleInput;
import dev.satchel.packager.bundle.BundleSpec;
import dev.satchel.packager.bundle.BundleWriteException;
import dev.satchel.packager.bundle.BundleWriter;
import dev.satchel.packager.bundle.PreparedBundle;
import dev.satchel.packager.quantize.EvalSpec;
import dev.satchel.packager.quantize.QuantizeException;
import dev.satchel.packager.quantize.QuantizeMode;
import dev.satchel.packager.quantize.QuantizeOptions;
import dev.satchel.packager.quantize.QuantizeReport;
import dev.satchel.packager.quantize.QuantizeSession;
import dev.satchel.reports.BundleInfo;
import dev.satchel.reports.DeviceRequirement;
import dev.satchel.reports.Report;
import dev.satchel.reports.ReportException;
import dev.satchel.reports.ReportFormat;
import dev.satchel.reports.ReportInputs;
import dev.satchel.reports.ReportWriter;
import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.Pkcs11Keys;
import dev.satchel.signing.SigningException;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.TrustConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code satchel build}: the CI gate. Runs quantize, gate, check, pack, sign and verify from one
 * satchel.yaml and writes the bundle and every report into the outputs folder. Each step records a
 * content hash of its inputs in {@code OUTPUTS/.satchel-cache/state.properties} and is skipped when
 * that hash and its outputs are unchanged, so a second build of the same inputs writes nothing and
 * leaves byte-identical files.
 */
@Command(name = "build",
        header = "Run the whole flow from satchel.yaml: quantize, check, pack, sign.", mixinStandardHelpOptions = true,
        description = {
            "Build a signed bundle and its reports from satchel.yaml (docs/satchel-yaml.md):",
            "quantize (when configured) with its accuracy gate, check every target device,",
            "gate on the device requirements, pack, sign and verify. Steps whose inputs have",
            "not changed are skipped (content-hash cache in the outputs folder). Writes the",
            "bundle, report.json/.md/.html, junit.xml, report.sarif and SHA256SUMS.",
            "Exit 0 shipped, 1 a gate or device requirement failed, 3 invalid config or",
            "input, 4 signing or verification failed.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel init example:minilm && satchel build",
            "  satchel build examples/minilm/satchel.yaml",
            "  satchel build ci/satchel.yaml --timestamp",
        })
final class BuildCommand implements Callable<Integer> {
    static final String CACHE = ".satchel-cache";
    private static final String THROWAWAY = "THROWAWAY-signing-key";

    @Parameters(index = "0", arity = "0..1", paramLabel = "SATCHEL_YAML", defaultValue = "satchel.yaml",
            description = "The build file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--timestamp", description = "Record the build time in report.json (outputs then differ per run).")
    boolean timestamp;

    @Option(names = "--no-cache", description = "Run every step even when its inputs have not changed.")
    boolean noCache;

    @Spec
    CommandSpec spec;

    Clock clock = Clock.systemUTC();

    private PrintWriter out;
    private Steps steps;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        BuildConfig cfg;
        try {
            cfg = BuildConfigParser.parse(configFile);
        } catch (BuildConfigException e) {
            // Every problem on its own line (file:line: code: message), then the one-line summary.
            PrintWriter err = spec.commandLine().getErr();
            e.problems().forEach(err::println);
            err.flush();
            throw new CliException(ExitCode.INPUT_INVALID, e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + " in " + configFile + " (docs/satchel-yaml.md)", e);
        }
        boolean tty = System.console() != null && System.getenv("CI") == null
                && !System.getenv().containsKey("SATCHEL_NO_PROGRESS");
        steps = new Steps(out, tty);
        Path dist = cfg.outputs();
        Path cache = dist.resolve(CACHE);
        Files.createDirectories(cache);
        Properties state = new Properties();
        Path stateFile = cache.resolve("state.properties");
        if (Files.isRegularFile(stateFile) && !noCache) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                state.load(in);
            }
        }
        String tool = new VersionProvider().getVersion()[0];

        // 1. the model, and quantize with its accuracy gate
        steps.start("model");
        Path source = ModelPaths.resolve(cfg.model());
        String sourceHash = sha256(source);
        OnnxModel sourceModel = ModelReader.read(source);
        String sourceKey = withExternalData(sourceModel, sourceHash);
        long sourceBytes = Files.size(source);
        for (String loc : sourceModel.externalDataLocations()) {
            sourceBytes += Files.size(sourceModel.baseDir().resolve(loc));
        }
        steps.done("model", source.getFileName() + ", " + Sizes.bytes(sourceBytes));
        Path model = source;
        Optional<String> quantJson = Optional.empty();
        String quantMethod = "none";
        if (cfg.quantize().isPresent()) {
            BuildConfig.Quantize q = cfg.quantize().get();
            // A folder of its own: a quantized model may have an external data file beside it.
            Path qDir = cache.resolve("quantized");
            Path qModel = qDir.resolve("model.onnx");
            Path qReport = dist.resolve("quantize-report.json");
            String key = hash("quantize/2", tool, sourceKey, q.toString(), cfg.evaluation().toString(),
                    cfg.dims().toString(), q.calibration().isPresent() ? folderHash(q.calibration().get()) : "",
                    cfg.evaluation().inputs().isPresent() ? folderHash(cfg.evaluation().inputs().get()) : "");
            steps.start("quantize");
            boolean gateFailed;
            if (key.equals(state.getProperty("quantize")) && Files.isRegularFile(qReport)
                    && (Files.isRegularFile(qModel) || !gatePassed(Files.readString(qReport, StandardCharsets.UTF_8)))) {
                gateFailed = !Files.isRegularFile(qModel);
                steps.skipped("quantize");
            } else {
                state.remove("quantize");
                deleteTree(qDir);
                Path tmpDir = cache.resolve("quantized.tmp");
                deleteTree(tmpDir);
                Files.createDirectories(tmpDir);
                QuantizeOutcome r = quantizeStep.run(cfg, q, source, tmpDir.resolve(qModel.getFileName()));
                writeAtomically(qReport, r.reportJson());
                gateFailed = !r.gatePassed();
                if (gateFailed) {
                    deleteTree(tmpDir);
                    steps.failed("quantize", r.summary());
                } else {
                    Files.move(tmpDir, qDir, StandardCopyOption.ATOMIC_MOVE);
                    steps.done("quantize", r.summary());
                }
                state.setProperty("quantize", key);
                save(state, stateFile);
            }
            quantJson = Optional.of(Files.readString(qReport, StandardCharsets.UTF_8));
            quantMethod = q.mode();
            if (gateFailed) {
                // The reports still get written, for the source model: which devices it fits and
                // why the quantized one was refused. The gate step then fails the build.
                out.println("satchel build: the quantization accuracy gate failed; devices are checked with the"
                        + " unquantized model for the reports");
            } else {
                model = qModel;
            }
        }
        String modelHash = model == source ? sourceHash : sha256(model);
        OnnxModel shipped = model == source ? sourceModel : ModelReader.read(model);
        String modelKey = model == source ? sourceKey : withExternalData(shipped, modelHash);

        // 2. check every device and write the reports (report.json is the source of the others)
        String bundleFile = cfg.bundle().name() + "-" + cfg.bundle().version() + ".satchel";
        List<Path> profileFiles = new ArrayList<>();
        StringBuilder profileHashes = new StringBuilder();
        for (BuildConfig.Device d : cfg.devices()) {
            if (d.profile().isPresent()) {
                profileFiles.add(d.profile().get());
                profileHashes.append(sha256(d.profile().get()));
            }
        }
        String checkKey = hash("check/2", tool, modelKey, cfg.model(), Long.toString(sourceBytes), cfg.devices().toString(),
                profileHashes.toString(), cfg.dims().toString(), quantJson.orElse(""), cfg.bundle().toString(),
                timestamp ? clock.instant().toString() : "");
        Path reportFile = dist.resolve(ReportFormat.JSON.fileName());
        Path checkFile = dist.resolve("check.json");
        Report report;
        steps.start("check");
        if (checkKey.equals(state.getProperty("check")) && Files.isRegularFile(checkFile)
                && EnumSet.allOf(ReportFormat.class).stream().allMatch(f -> Files.isRegularFile(dist.resolve(f.fileName())))) {
            report = Report.parse(Files.readString(reportFile, StandardCharsets.UTF_8));
            steps.skipped("check");
        } else {
            state.remove("check");
            ProfileCatalogue catalogue = ProfilesCommand.catalogue(profileFiles, spec.commandLine().getErr());
            List<DeviceProfile> targets = new ArrayList<>();
            List<DeviceRequirement> reqs = new ArrayList<>();
            for (BuildConfig.Device d : cfg.devices()) {
                targets.add(catalogue.find(d.id()).orElseThrow(() -> new CliException(ExitCode.INPUT_INVALID,
                        configFile + ": unknown-device: no profile '" + d.id() + "' (built-in ids: satchel profiles list;"
                                + " or add profile: FILE)")));
                reqs.add(new DeviceRequirement(d.id(), d.mustPass(), d.mayWarn(), d.acceleratorShare()));
            }
            OnnxModel m = shipped;
            CheckReport cr = new CompatibilityChecker(ExecutionProviderCatalogue.builtIn()).check(m, targets,
                    new CheckOptions(cfg.dims(), OptionalLong.empty()));
            writeAtomically(checkFile, CheckReportJson.toJson(cr) + "\n");
            try {
                report = Report.build(new ReportInputs(cfg.model().startsWith(ModelPaths.PREFIX) ? cfg.model()
                        : relative(cfg, source), modelHash, m.facts(), sourceBytes, cr, quantJson, reqs,
                        Optional.of(new BundleInfo(cfg.bundle().name(), cfg.bundle().displayVersion(), bundleFile,
                                Optional.of(modelHash))),
                        tool, timestamp ? Optional.of(clock.instant()) : Optional.empty()));
            } catch (ReportException e) {
                throw new CliException(ExitCode.INPUT_INVALID, e.getMessage(), e);
            }
            ReportWriter.write(report, dist, EnumSet.allOf(ReportFormat.class));
            state.setProperty("check", checkKey);
            save(state, stateFile);
            steps.done("check", cfg.devices().size() + " device" + (cfg.devices().size() == 1 ? "" : "s"));
        }

        // 3. the gate: required devices and the quantization accuracy
        Path bundle = dist.resolve(bundleFile);
        steps.start("gate");
        if (!report.passed()) {
            // A bundle from an earlier passing build must not sit next to a failing report.
            Files.deleteIfExists(bundle);
            state.remove("pack");
            save(state, stateFile);
            writeSums(dist, null);
            steps.failed("gate", "see " + dist.resolve("report.md"));
            out.println("NOT shipped: a gate failed (details: " + dist.resolve("report.md") + ")");
            return ExitCode.CHECK_FAILED.code();
        }
        steps.done("gate", "every required device and gate passed");

        // 4. sign and pack
        steps.start("sign");
        SigningKey key = loadKey(cfg.signing(), cache);
        boolean throwaway = cfg.signing().kind() == BuildConfig.Signing.Kind.THROWAWAY;
        String packKey = hash("pack/2", tool, modelKey, sha256(reportFile), sha256(checkFile), cfg.bundle().toString(),
                quantMethod, key.publicKey().keyId());
        if (packKey.equals(state.getProperty("pack")) && Files.isRegularFile(bundle)) {
            steps.skipped("sign");
            steps.skipped("pack");
        } else {
            state.remove("pack");
            steps.done("sign", throwaway ? "THROWAWAY key (not for release)" : key.description());
            steps.start("pack");
            pack(cfg, shipped, reportFile, checkFile, quantMethod, tool, key, bundle);
            state.setProperty("pack", packKey);
            save(state, stateFile);
            steps.done("pack", bundle.getFileName() + ", " + Sizes.bytes(Files.size(bundle)));
        }

        // 5. verify with the device code, and that the bundle carries this report
        steps.start("verify");
        VerifiedBundle verified;
        try {
            verified = BundleVerifier.create(VerificationPolicy.requireSignature(
                    OmsSignatureCheck.of(TrustConfig.ofPublicKey(key.publicKey())))).verify(bundle);
        } catch (VerificationException e) {
            throw new CliException(ExitCode.VERIFICATION_FAILED, bundle + ": " + e.code() + ": " + e.getMessage(), e);
        }
        String reportDigest = sha256(reportFile);
        if (!verified.entry("report.json").sha256().equals(reportDigest)) {
            throw new CliException(ExitCode.VERIFICATION_FAILED, bundle + ": entry 'report.json': sha256 expected "
                    + reportDigest + ", got " + verified.entry("report.json").sha256());
        }
        steps.done("verify", "signature and every entry, report.json sha256 " + reportDigest.substring(0, 12));
        writeSums(dist, bundle);
        out.println("Shipped " + dist.resolve(bundleFile));
        if (throwaway) {
            out.println("Signed with a THROWAWAY key generated for this build (" + cache.resolve(THROWAWAY + ".pub")
                    + "); devices will not trust it. Configure signing: in satchel.yaml for a release.");
        }
        out.flush();
        return ExitCode.OK.code();
    }

    /** What the quantize step produced: its report, whether the gate passed, one line for the log. */
    record QuantizeOutcome(String reportJson, boolean gatePassed, String summary) {}

    /** The quantize step; tests replace it to drive the pipeline without ONNX Runtime. */
    @FunctionalInterface
    interface QuantizeStep {
        /** Writes the quantized model to {@code out} when the gate passes. */
        QuantizeOutcome run(BuildConfig cfg, BuildConfig.Quantize q, Path source, Path out) throws IOException;
    }

    QuantizeStep quantizeStep = this::quantizeWithOrt;

    private QuantizeOutcome quantizeWithOrt(BuildConfig cfg, BuildConfig.Quantize q, Path source, Path out)
            throws IOException {
        QuantizeMode mode = QuantizeMode.of(q.mode());
        QuantizeOptions opts = QuantizeOptions.of(mode).withExcludeOps(new LinkedHashSet<>(q.excludeOps()))
                .withExcludeNodes(new LinkedHashSet<>(q.excludeNodes()));
        Map<String, long[]> ranges = new LinkedHashMap<>();
        cfg.evaluation().inputRanges().forEach((k, v) -> ranges.put(k, new long[] {v.get(0), v.get(1)}));
        EvalSpec eval = EvalSpec.defaults().withDims(cfg.dims()).withSamples(cfg.evaluation().samples())
                .withIntRanges(ranges);
        if (cfg.evaluation().inputs().isPresent()) {
            eval = EvalSpec.defaults().withDims(cfg.dims()).withInputs(cfg.evaluation().inputs().get());
        }
        boolean evaluate = cfg.evaluation().enabled();
        double gate = !evaluate || !q.gate() ? Double.NaN
                : q.minCosine().isPresent() ? q.minCosine().getAsDouble() : QuantizeCommand.defaultGate(mode);
        try {
            QuantizeReport r = QuantizeSession.run(new QuantizeSession.Request(source, out, opts, eval, evaluate, gate,
                    q.calibration().orElse(null), dev.satchel.packager.quantize.CalibrationMethod.MINMAX),
                    (step, done, total) -> steps.progress("quantize", step, done, total));
            return new QuantizeOutcome(r.toJson(), true, Sizes.bytes(r.sourceBytes()) + " -> "
                    + Sizes.bytes(r.outputBytes()));
        } catch (QuantizeSession.GateFailedException e) {
            return new QuantizeOutcome(e.report().toJson(), false, e.getMessage() + (e.floatOnly()
                    ? " (in satchel.yaml: evaluation: inputs: DIR; quantize: gate: {min-cosine: X} or off)" : ""));
        } catch (QuantizeException e) {
            Files.deleteIfExists(out);
            throw new CliException(ExitCode.INPUT_INVALID, "quantize: " + e.getMessage(), e);
        }
    }

    /** gate.passed of a satchel.quantize.report/v1 document; a report without a gate passes. */
    static boolean gatePassed(String quantizeReportJson) {
        try {
            dev.satchel.verifier.json.JsonObject o = dev.satchel.verifier.json.Json.parseObject(
                    quantizeReportJson.getBytes(StandardCharsets.UTF_8));
            dev.satchel.verifier.json.JsonObject gate = o.optObject("gate");
            return gate == null || gate.bool("passed");
        } catch (dev.satchel.verifier.json.JsonException e) {
            return false;
        }
    }

    private void pack(BuildConfig cfg, OnnxModel model, Path reportFile, Path checkFile, String quantMethod, String tool,
            SigningKey key, Path bundle) throws Exception {
        // report.json is a signed entry: its SHA-256 sits in the manifest the signature covers.
        // External data files keep their location (relative to the model), so the model in the
        // bundle finds them where the installed bundle puts them.
        List<BundleInput> inputs = new ArrayList<>(List.of(BundleInput.of("model.onnx", model.file())));
        for (String loc : model.externalDataLocations()) {
            inputs.add(BundleInput.of(loc, model.baseDir().resolve(loc)));
        }
        inputs.add(BundleInput.of("report.json", reportFile));
        BundleSpec bs = BundleSpec.of(cfg.bundle().name(), cfg.bundle().version(), inputs)
                .withDisplayVersion(cfg.bundle().displayVersion())
                .withMinOnnxRuntime(cfg.bundle().minOnnxRuntime())
                .withCompatibility(PackCommand.claimsFromCheckReport(checkFile), 0, List.of())
                .withQuantization(Map.of("method", quantMethod))
                .withTool(tool);
        Path tmp = bundle.resolveSibling("." + bundle.getFileName() + ".tmp");
        try {
            PreparedBundle prepared = BundleWriter.prepare(bs);
            byte[] signature;
            try {
                signature = PackCommand.sign(key, prepared.signedDigests());
            } catch (SigningException e) {
                throw new CliException(ExitCode.VERIFICATION_FAILED, "signing failed: " + e.getMessage(), e);
            }
            BundleWriter.write(prepared, signature, tmp);
            Files.move(tmp, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (BundleWriteException e) {
            Files.deleteIfExists(tmp);
            throw new CliException(ExitCode.INPUT_INVALID, e.getMessage(), e);
        }
    }

    private SigningKey loadKey(BuildConfig.Signing s, Path cache) throws Exception {
        try {
            switch (s.kind()) {
                case FILE:
                    return KeyFiles.readPrivateKey(s.keyFile().get(),
                            Secrets.read(s.passphraseFile().orElse(null), "SATCHEL_KEY_PASSPHRASE"));
                case ENV: {
                    String pem = System.getenv(s.env().get());
                    if (pem == null || pem.isBlank()) {
                        throw new CliException(ExitCode.VERIFICATION_FAILED, "signing.key-env: environment variable "
                                + s.env().get() + " is not set");
                    }
                    // Parsed in memory: a CI secret must not land on disk, not even briefly.
                    return KeyFiles.parsePrivateKey(pem, "environment variable " + s.env().get(),
                            Secrets.read(s.passphraseFile().orElse(null), "SATCHEL_KEY_PASSPHRASE"));
                }
                case PKCS11: {
                    char[] pin = Secrets.read(s.pinFile().orElse(null), "SATCHEL_PKCS11_PIN");
                    if (pin == null) {
                        throw new CliException(ExitCode.VERIFICATION_FAILED,
                                "signing.pkcs11: the PIN is needed: signing.pin-file or SATCHEL_PKCS11_PIN");
                    }
                    return Pkcs11Keys.load(s.pkcs11Config().get(), s.alias().get(), pin);
                }
                default: {
                    // Kept in the cache so later builds reuse it: signatures with key files are
                    // deterministic (RFC 6979 ECDSA), so unchanged inputs give a byte-identical bundle.
                    Path prefix = cache.resolve(THROWAWAY);
                    Path priv = cache.resolve(THROWAWAY + ".key");
                    if (!Files.isRegularFile(priv)) {
                        KeyFiles.writeKeyPair(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), prefix, null);
                    }
                    return KeyFiles.readPrivateKey(priv, null);
                }
            }
        } catch (SigningException e) {
            throw new CliException(ExitCode.VERIFICATION_FAILED, "signing key: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof CliException) {
                throw e;
            }
            // KeyFiles lets some decoder failures of a malformed PEM escape unchecked.
            throw new CliException(ExitCode.VERIFICATION_FAILED, "signing key: not a readable private key: "
                    + e.getMessage(), e);
        }
    }

    private static String relative(BuildConfig cfg, Path model) {
        Path base = cfg.file().toAbsolutePath().getParent();
        Path abs = model.toAbsolutePath().normalize();
        return base != null && abs.startsWith(base) ? base.relativize(abs).toString().replace('\\', '/')
                : abs.getFileName().toString();
    }

    /** SHA256SUMS over the bundle and reports, sorted by name, in sha256sum's format. */
    private static void writeSums(Path dist, Path bundle) throws IOException {
        TreeMap<String, String> sums = new TreeMap<>();
        for (ReportFormat f : ReportFormat.values()) {
            Path p = dist.resolve(f.fileName());
            if (Files.isRegularFile(p)) {
                sums.put(f.fileName(), sha256(p));
            }
        }
        for (String extra : List.of("check.json", "quantize-report.json")) {
            if (Files.isRegularFile(dist.resolve(extra))) {
                sums.put(extra, sha256(dist.resolve(extra)));
            }
        }
        if (bundle != null) {
            sums.put(bundle.getFileName().toString(), sha256(bundle));
        }
        StringBuilder b = new StringBuilder();
        sums.forEach((name, h) -> b.append(h).append("  ").append(name).append('\n'));
        Path f = dist.resolve("SHA256SUMS");
        if (!Files.isRegularFile(f) || !Files.readString(f).equals(b.toString())) {
            writeAtomically(f, b.toString());
        }
    }

    private static void save(Properties state, Path file) throws IOException {
        // Properties.store writes a date comment; written by hand, sorted, so the file is reproducible.
        StringBuilder b = new StringBuilder("# satchel build cache: step = sha256 of its inputs\n");
        new TreeMap<>(state).forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        writeAtomically(file, b.toString());
    }

    static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The model file's digest, extended by each external data file's name and digest. */
    private static String withExternalData(OnnxModel m, String modelHash) throws IOException {
        List<String> locs = m.externalDataLocations();
        if (locs.isEmpty()) {
            return modelHash;
        }
        List<String> parts = new ArrayList<>(List.of("model+data/1", modelHash));
        for (String loc : locs) {
            parts.add(loc);
            parts.add(sha256(m.baseDir().resolve(loc)));
        }
        return hash(parts.toArray(String[]::new));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static String folderHash(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                b.append(dir.relativize(p)).append('=').append(sha256(p)).append('\n');
            }
        }
        return hash(b.toString());
    }

    static String hash(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
                md.update(Long.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                md.update((byte) ':');
                md.update(bytes);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Step lines: redrawn in place on a terminal, one plain line per step in CI logs. */
    static final class Steps {
        private final PrintWriter out;
        private final boolean tty;
        private long started;

        Steps(PrintWriter out, boolean tty) {
            this.out = out;
            this.tty = tty;
        }

        void start(String step) {
            started = System.nanoTime();
            if (tty) {
                out.print("\r\033[2K  ..  " + step);
                out.flush();
            }
        }

        void progress(String step, String what, int done, int total) {
            if (tty) {
                out.print("\r\033[2K  ..  " + step + ": " + what + (total > 0 ? " " + done + "/" + total : ""));
                out.flush();
            }
        }

        void done(String step, String detail) {
            line("ok", step, detail + String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9));
        }

        void skipped(String step) {
            line("--", step, "unchanged, skipped");
        }

        void failed(String step, String detail) {
            line("!!", step, detail);
        }

        private void line(String mark, String step, String detail) {
            out.print(tty ? "\r\033[2K" : "");
            out.println((tty ? "  " + mark + "  " : "satchel build: ") + String.format(Locale.ROOT, "%-8s %s", step,
                    tty ? detail : mark.equals("ok") ? detail : mark.equals("--") ? detail : "FAILED: " + detail));
            out.flush();
        }
    }

}
