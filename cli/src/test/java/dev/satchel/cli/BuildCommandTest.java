package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.cli.build.BuildConfig;
import dev.satchel.cli.build.BuildConfigParser;
import dev.satchel.model.DataType;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCommandTest {
    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void project() throws Exception {
        Files.write(dir.resolve("mlp.onnx"), TinyModels.mlp().toByteArray());
        config = dir.resolve("satchel.yaml");
        Files.writeString(config, """
                model: mlp.onnx
                dims:
                  batch: 1
                devices:
                  - id: apple-iphone-15-pro
                  - browser-wasm-only
                  - id: android-go-1gb
                    must-pass: false
                bundle:
                  name: mlp
                  version: 3
                outputs: out
                """);
    }

    private static Map<String, String> hashes(Path folder) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.put(folder.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void build_twice_secondSkipsEveryStepAndLeavesByteIdenticalOutputs() throws Exception {
        CliRun first = CliRun.of("build", config.toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        Path out = dir.resolve("out");
        for (String f : new String[] {"report.json", "report.md", "report.html", "junit.xml", "report.sarif",
                "check.json", "SHA256SUMS", "mlp-3.satchel"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(first.out().contains("THROWAWAY"), first.out());
        Map<String, String> before = hashes(out);

        CliRun second = CliRun.of("build", config.toString());
        assertEquals(0, second.exit(), second.out() + second.err());
        assertTrue(second.out().contains("check    unchanged, skipped"), second.out());
        assertTrue(second.out().contains("pack     unchanged, skipped"), second.out());
        assertEquals(before, hashes(out));
    }

    @Test
    void build_fromScratchTwice_sameBytes() throws Exception {
        assertEquals(0, CliRun.of("build", config.toString()).exit());
        Map<String, String> a = hashes(dir.resolve("out"));
        // Same inputs and key, no cache: every step runs again and writes the same bytes.
        CliRun again = CliRun.of("build", config.toString(), "--no-cache");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertFalse(again.out().contains("skipped"), again.out());
        assertEquals(a, hashes(dir.resolve("out")));
    }

    @Test
    void build_bundle_carriesReportAsSignedEntry() throws Exception {
        assertEquals(0, CliRun.of("build", config.toString()).exit());
        Path out = dir.resolve("out");
        byte[] report = Files.readAllBytes(out.resolve("report.json"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(report));
        try (ZipFile z = new ZipFile(out.resolve("mlp-3.satchel").toFile())) {
            assertArrayEquals(report, z.getInputStream(z.getEntry("report.json")).readAllBytes());
            String manifest = new String(z.getInputStream(z.getEntry("satchel.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(manifest.contains(sha), manifest);
        }
        CliRun verify = CliRun.of("verify", out.resolve("mlp-3.satchel").toString(), "--public-key",
                out.resolve(".satchel-cache/THROWAWAY-signing-key.pub").toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void build_devicesChanged_rerunsCheckAndPack() throws Exception {
        assertEquals(0, CliRun.of("build", config.toString()).exit());
        Files.writeString(config, Files.readString(config).replace("  - browser-wasm-only\n", ""));
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("check    unchanged"), r.out());
        assertFalse(r.out().contains("pack     unchanged"), r.out());
        assertFalse(Files.readString(dir.resolve("out/report.json")).contains("browser-wasm-only"));
    }

    @Test
    void build_acceleratorShareUnmet_exitsOneWritesReportsAndNoBundle() throws Exception {
        assertEquals(0, CliRun.of("build", config.toString()).exit());
        Files.writeString(config, Files.readString(config).replace("  - browser-wasm-only\n",
                "  - id: samsung-galaxy-s24-snapdragon\n    accelerator-share: 0.5\n"));
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("NOT shipped"), r.out());
        assertFalse(Files.exists(dir.resolve("out/mlp-3.satchel")), "a stale bundle was left next to a failing report");
        String md = Files.readString(dir.resolve("out/report.md"));
        assertTrue(md.contains("wanted at least 50%"), md);
        assertTrue(Files.readString(dir.resolve("out/junit.xml")).contains("<failure type=\"device-requirement\""));
    }

    @Test
    void build_invalidConfig_exitsThreeListingEveryProblemWithItsLine() throws Exception {
        Files.writeString(config, """
                model: missing.onnx
                colour: blue
                devices:
                  - id: apple-iphone-15-pro
                    accelerator-share: 90
                bundle:
                  name: Bad Name
                  version: zero
                """);
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("satchel.yaml:1: file-not-found: model 'missing.onnx'"), r.err());
        assertTrue(r.err().contains("satchel.yaml:2: unknown-key: unknown key 'colour'"), r.err());
        assertTrue(r.err().contains("satchel.yaml:5: bad-value: accelerator-share"), r.err());
        assertTrue(r.err().contains("satchel.yaml:7: bad-value: bundle.name"), r.err());
        assertTrue(r.err().contains("satchel.yaml:8: wrong-type: bundle.version"), r.err());
        assertFalse(Files.exists(dir.resolve("dist")), "nothing may be written for an invalid config");
    }

    @Test
    void build_unknownDevice_exitsThree() throws Exception {
        Files.writeString(config, Files.readString(config).replace("browser-wasm-only", "no-such-phone"));
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("no profile 'no-such-phone'"), r.err());
    }

    @Test
    void build_missingKeyFile_listedAsConfigProblem() throws Exception {
        Files.writeString(config, Files.readString(config) + "signing:\n  key: keys/none.key\n");
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("satchel.yaml:14: file-not-found: signing.key"), r.err());
    }

    @Test
    void build_releaseKeyFile_signsWithItAndNoThrowawayNotice() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        assertEquals(0, CliRun.of("keygen", "--out", dir.resolve("keys/release").toString()).exit());
        Files.writeString(config, Files.readString(config) + "signing:\n  key: keys/release.key\n");
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertFalse(r.out().contains("THROWAWAY"), r.out());
        assertFalse(Files.exists(dir.resolve("out/.satchel-cache/THROWAWAY-signing-key.key")));
        CliRun verify = CliRun.of("verify", dir.resolve("out/mlp-3.satchel").toString(), "--public-key",
                dir.resolve("keys/release.pub").toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void build_unreadableKey_exitsFour() throws Exception {
        Files.writeString(dir.resolve("bad.key"), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        Files.writeString(config, Files.readString(config) + "signing:\n  key: bad.key\n");
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(4, r.exit(), r.out() + r.err());
    }

    @Test
    void report_reRendersBuildOutputsByteForByte() throws Exception {
        assertEquals(0, CliRun.of("build", config.toString()).exit());
        Path again = dir.resolve("again");
        CliRun r = CliRun.of("report", dir.resolve("out/report.json").toString(), "--out", again.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String f : new String[] {"report.md", "report.html", "junit.xml", "report.sarif"}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("out").resolve(f)), Files.readAllBytes(again.resolve(f)), f);
        }
    }

    @Test
    void report_notAReport_exitsThree() throws Exception {
        Files.writeString(dir.resolve("x.json"), "{\"schema\": \"satchel.check/v1\"}");
        CliRun r = CliRun.of("report", dir.resolve("x.json").toString(), "--out", dir.resolve("o").toString());
        assertEquals(3, r.exit(), r.err());
        assertTrue(r.err().contains("wrong-schema"), r.err());
    }

    @Test
    void init_writesStarterThatParsesAndBuilds() throws Exception {
        Path target = dir.resolve("sub/satchel.yaml");
        Files.createDirectories(target.getParent());
        CliRun r = CliRun.of("init", dir.resolve("mlp.onnx").toString(), "-o", target.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        BuildConfig c = BuildConfigParser.parse(target);
        assertEquals(Map.of("batch", 1L), c.dims());
        assertTrue(Files.readString(target).contains("  batch: 1    # batch\n"), Files.readString(target));
        assertEquals("mlp", c.bundle().name());
        assertEquals(BuildConfig.Signing.Kind.THROWAWAY, c.signing().kind());
        assertTrue(Files.readString(target).contains("model: ../mlp.onnx"), Files.readString(target));
        assertEquals(3, CliRun.of("init", dir.resolve("mlp.onnx").toString(), "-o", target.toString()).exit(),
                "init must not overwrite without --force");
    }

    @Test
    void example_minilmConfig_parses() throws Exception {
        BuildConfig c = BuildConfigParser.parse(Paths.get("../examples/minilm/satchel.yaml"));
        assertEquals("example:minilm", c.model());
        assertEquals("int8", c.quantize().orElseThrow().mode());
        assertEquals(BuildConfig.Signing.Kind.THROWAWAY, c.signing().kind());
    }

    @Test
    void help_buildInitReport_matchGoldensAndFit80Columns() throws Exception {
        for (String c : new String[] {"build", "init", "report"}) {
            CliRun r = CliRun.of(c, "--help");
            assertEquals(0, r.exit());
            assertTrue(r.out().contains("Examples:"), c);
            for (String line : r.out().split("\n")) {
                assertTrue(line.length() <= 80, c + ": " + line);
            }
            Golden.assertMatches("help-" + c + ".txt", r.out());
        }
    }

    /** mlp.onnx with its weights in mlp.onnx.data beside it. */
    private void externalDataModel() throws Exception {
        dev.satchel.model.ModelWriter.write(dev.satchel.model.OnnxModel.of(TinyModels.mlp(), dir), dir.resolve("mlp.onnx"),
                dev.satchel.model.WriteOptions.externalAbove(64));
        assertTrue(Files.isRegularFile(dir.resolve("mlp.onnx.data")));
        assertEquals(List.of("mlp.onnx.data"), dev.satchel.model.ModelReader.read(dir.resolve("mlp.onnx")).externalDataLocations());
    }

    @Test
    void build_externalDataModel_bundlesTheDataFileAndNoticesWhenItChanges() throws Exception {
        externalDataModel();
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        Path bundle = dir.resolve("out/mlp-3.satchel");
        try (ZipFile z = new ZipFile(bundle.toFile())) {
            assertTrue(Files.mismatch(dir.resolve("mlp.onnx.data"), writeEntry(z, "mlp.onnx.data")) < 0);
            assertTrue(Files.mismatch(dir.resolve("mlp.onnx"), writeEntry(z, "model.onnx")) < 0);
        }
        CliRun verify = CliRun.of("verify", bundle.toString(), "--public-key",
                dir.resolve("out/.satchel-cache/THROWAWAY-signing-key.pub").toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
        assertTrue(Files.readString(dir.resolve("out/report.json")).contains("mlp.onnx"));

        CliRun same = CliRun.of("build", config.toString());
        assertTrue(same.out().matches("(?s).*check +unchanged, skipped.*"), same.out());
        // New weights, same size, .onnx file untouched: the data file's digest is part of the key.
        byte[] data = Files.readAllBytes(dir.resolve("mlp.onnx.data"));
        data[data.length - 1] ^= 0x40;
        Files.write(dir.resolve("mlp.onnx.data"), data);
        CliRun changed = CliRun.of("build", config.toString());
        assertEquals(0, changed.exit(), changed.out() + changed.err());
        assertFalse(changed.out().matches("(?s).*check +unchanged, skipped.*"), changed.out());
        assertFalse(changed.out().matches("(?s).*pack +unchanged, skipped.*"), changed.out());
        try (ZipFile z = new ZipFile(bundle.toFile())) {
            assertTrue(Files.mismatch(dir.resolve("mlp.onnx.data"), writeEntry(z, "mlp.onnx.data")) < 0);
        }
    }

    @Test
    void build_externalDataModelQuantized_shipsTheQuantizedFolder() throws Exception {
        externalDataModel();
        withQuantize();
        int[] calls = {0};
        BuildCommand.QuantizeStep writesExternal = (cfg, q, source, out) -> {
            calls[0]++;
            dev.satchel.model.ModelWriter.write(dev.satchel.model.ModelReader.read(source), out,
                    dev.satchel.model.WriteOptions.externalAbove(64));
            return new BuildCommand.QuantizeOutcome(QUANT_REPORT, true, "fake");
        };
        CliRun r = build(writesExternal);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/.satchel-cache/quantized/model.onnx.data")));
        try (ZipFile z = new ZipFile(dir.resolve("out/mlp-3.satchel").toFile())) {
            assertTrue(Files.mismatch(dir.resolve("out/.satchel-cache/quantized/model.onnx.data"),
                    writeEntry(z, "model.onnx.data")) < 0);
        }
        assertFalse(Files.exists(dir.resolve("out/.satchel-cache/quantized.tmp")));
        assertEquals(0, build(writesExternal).exit());
        assertEquals(1, calls[0], "quantize ran again with nothing changed");
    }

    private Path writeEntry(ZipFile z, String name) throws Exception {
        java.util.zip.ZipEntry e = z.getEntry(name);
        assertTrue(e != null, "bundle entry " + name);
        Path p = Files.createTempFile(dir, "entry-", ".bin");
        try (java.io.InputStream in = z.getInputStream(e)) {
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /** Runs satchel build with a fake quantize step (no ONNX Runtime): copies the model, reports as given. */
    private CliRun buildWithFakeQuantize(boolean gatePasses, int[] calls) {
        return build((cfg, q, source, out) -> {
            calls[0]++;
            Files.copy(source, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String report = QUANT_REPORT.replace("\"passed\": true", "\"passed\": " + gatePasses);
            return new BuildCommand.QuantizeOutcome(report, gatePasses, gatePasses ? "fake" : "gate failed (fake)");
        });
    }

    private CliRun build(BuildCommand.QuantizeStep step) {
        BuildCommand cmd = new BuildCommand();
        cmd.quantizeStep = step;
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(cmd);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, p) -> ErrorReporter.report(ex, c.getErr(), false));
        int code = cl.execute(config.toString());
        return new CliRun(code, out.toString(), err.toString());
    }

    private static final String QUANT_REPORT = """
            {
              "schema": "satchel.quantize.report/v1",
              "mode": "int8",
              "source_bytes": 3034,
              "output_bytes": 3034,
              "layers_quantized": 1,
              "layers_float": 1,
              "decisions": [],
              "quality": [{"output": "y", "mean_cosine": 0.950000, "min_cosine": 0.900000, "sqnr_db": 12.000000, "max_abs_error": 0.100000, "top1_agreement": null}],
              "gate": {"min_cosine": 0.990000, "passed": true, "kept_bytes": 0, "kept": []},
              "warnings": []
            }
            """;

    private void withQuantize() throws Exception {
        Files.writeString(config, Files.readString(config).replace("devices:", "quantize:\n  mode: int8\ndevices:"));
    }

    @Test
    void build_quantizeGatePasses_shipsQuantizedModelAndSkipsQuantizeNextTime() throws Exception {
        withQuantize();
        int[] calls = {0};
        CliRun r = buildWithFakeQuantize(true, calls);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.readString(dir.resolve("out/report.json")).contains("satchel.quantize.report/v1"));
        CliRun again = buildWithFakeQuantize(true, calls);
        assertEquals(0, again.exit(), again.out() + again.err());
        assertEquals(1, calls[0], "quantize ran again with nothing changed");
        assertTrue(again.out().contains("quantize unchanged, skipped"), again.out());
    }

    @Test
    void build_realQuantizeGateMetOnlyWithEverythingInFloat_failsTheBuildNamingTheYamlKeys() throws Exception {
        // x [batch, 16] -> MatMul W [16, 64]: one quantizable layer, really run in ONNX Runtime. No
        // int8 form reaches a 1e-7 gate; float32 does, which would ship the model unquantized.
        Onnx.GraphProto g = Onnx.GraphProto.newBuilder().setName("one-matmul")
                .addInput(TinyModels.tensor("x", DataType.FLOAT, "batch", 16))
                .addOutput(TinyModels.tensor("y", DataType.FLOAT, "batch", 64))
                .addInitializer(TinyModels.randomFloats("W", 3, 16, 64))
                .addNode(TinyModels.node("MatMul", List.of("x", "W"), List.of("y")))
                .build();
        Files.write(dir.resolve("mlp.onnx"), TinyModels.model(g, 13).toByteArray());
        Files.writeString(config, Files.readString(config).replace("devices:",
                "quantize:\n  mode: int8\n  gate: {min-cosine: 0.9999999}\ndevices:"));
        CliRun r = CliRun.of("build", config.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("is met only with every layer kept in float32, so nothing would be quantized"), r.out());
        assertTrue(r.out().contains("in satchel.yaml: evaluation: inputs: DIR; quantize: gate: {min-cosine: X} or off"), r.out());
        assertTrue(r.out().contains("NOT shipped"), r.out());
        assertFalse(Files.exists(dir.resolve("out/mlp-3.satchel")));
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("is met only with every layer kept in float32"));
    }

    @Test
    void build_quantizeGateFails_exitsOneWithReportsForTheSourceModelAndNoBundle() throws Exception {
        withQuantize();
        int[] calls = {0};
        CliRun r = buildWithFakeQuantize(false, calls);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED: gate failed (fake)"), r.out());
        assertFalse(Files.exists(dir.resolve("out/mlp-3.satchel")));
        assertFalse(Files.exists(dir.resolve("out/.satchel-cache/quantized/model.onnx")));
        String junit = Files.readString(dir.resolve("out/junit.xml"));
        assertTrue(junit.contains("<failure type=\"quantization-gate\""), junit);
        assertTrue(Files.readString(dir.resolve("out/report.md")).contains("**FAILED**"));
        // The failed gate is cached too: an unchanged second build does not quantize again.
        CliRun again = buildWithFakeQuantize(false, calls);
        assertEquals(1, again.exit(), again.out() + again.err());
        assertEquals(1, calls[0]);
    }
}
