package dev.satchel.devices.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.OnnxModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompatibilityCheckerTest {
    @TempDir
    Path dir;

    private final ProfileCatalogue profiles = ProfileCatalogue.builtIn();
    private final CompatibilityChecker checker = new CompatibilityChecker(ExecutionProviderCatalogue.builtIn());

    private DeviceReport check(OnnxModel m, String device) throws Exception {
        return check(m, device, CheckOptions.defaults());
    }

    private DeviceReport check(OnnxModel m, String device, CheckOptions o) throws Exception {
        DeviceProfile p = profiles.find(device).orElseThrow();
        return checker.check(m, List.of(p), o).devices().get(0);
    }

    private static EpCoverage coverage(DeviceReport r, String ep) {
        return r.coverage().stream().filter(c -> c.executionProvider().equals(ep)).findFirst().orElseThrow();
    }

    private static List<FindingCode> codes(DeviceReport r, Severity s) {
        return r.findings().stream().filter(f -> f.severity() == s).map(Finding::code).collect(Collectors.toList());
    }

    @Test
    void qnnHtp_fp32MatMul_fallsBackToCpuWithQuantizationAsTheReason() throws Exception {
        DeviceReport r = check(Models.load(Models.fp32MatMul(1), dir), "samsung-galaxy-s24-snapdragon");
        EpCoverage htp = coverage(r, "qnn-htp");
        assertEquals(0, htp.macsTaken());
        assertEquals(512, htp.macsTotal());
        EpCoverage.NodeFallback mm = htp.fallbacks().stream().filter(f -> f.node().equals("matmul")).findFirst().get();
        assertEquals("needs-quantization", mm.reason());
        assertTrue(mm.detail().contains("float32") && mm.detail().contains("DequantizeLinear"), mm.detail());
        Finding unused = r.findings().stream().filter(f -> f.code() == FindingCode.ACCELERATOR_UNUSED).findFirst().get();
        assertEquals(Severity.WARN, unused.severity());
        assertTrue(unused.message().contains("0% of MACs"), unused.message());
        assertTrue(unused.fix().get().contains("int8-static"));
        assertTrue(unused.nodes().contains("matmul"));
        assertEquals(Verdict.WARN, r.verdict());
    }

    @Test
    void qnnHtp_qdqMatMul_takesAllMacs() throws Exception {
        DeviceReport r = check(Models.load(Models.qdqMatMul(), dir), "samsung-galaxy-s24-snapdragon");
        EpCoverage htp = coverage(r, "qnn-htp");
        assertEquals(512, htp.macsTaken());
        assertEquals(1.0, htp.macShare().getAsDouble());
        assertEquals(1, htp.partitions());
        assertFalse(codes(r, Severity.WARN).contains(FindingCode.ACCELERATOR_UNUSED), r.findings().toString());
        assertEquals("qnn-htp", r.preferredExecutionProvider().get());
    }

    @Test
    void qnnHtp_int8QdqMatMul_isRefusedForItsQuantizedType() throws Exception {
        DeviceReport r = check(Models.load(Models.qdqMatMul(dev.satchel.model.DataType.INT8), dir),
                "samsung-galaxy-s24-snapdragon");
        EpCoverage.NodeFallback mm = coverage(r, "qnn-htp").fallbacks().stream()
                .filter(f -> f.node().equals("matmul")).findFirst().get();
        assertEquals("quantized-dtype-not-supported", mm.reason());
        assertTrue(mm.detail().contains("dequantized from int8"), mm.detail());
        Finding unused = r.findings().stream().filter(f -> f.code() == FindingCode.ACCELERATOR_UNUSED).findFirst().get();
        assertTrue(unused.fix().get().contains("uint8/uint16"), r.findings().toString());
    }

    @Test
    void qnnHtp_dynamicBatch_needsStaticShapesUntilBound() throws Exception {
        OnnxModel m = Models.load(Models.fp32MatMul("batch"), dir);
        DeviceReport unbound = check(m, "samsung-galaxy-s24-snapdragon");
        assertTrue(codes(unbound, Severity.WARN).contains(FindingCode.MEMORY_SHAPES_UNKNOWN));
        assertEquals("dynamic-shape", coverage(unbound, "qnn-htp").fallbacks().get(0).reason());
        DeviceReport bound = check(m, "samsung-galaxy-s24-snapdragon",
                new CheckOptions(Map.of("batch", 1L), OptionalLong.empty()));
        assertFalse(codes(bound, Severity.WARN).contains(FindingCode.MEMORY_SHAPES_UNKNOWN));
        assertEquals("needs-quantization", coverage(bound, "qnn-htp").fallbacks().get(0).reason());
    }

    @Test
    void profileDims_bindShapesAndDimOptionOverridesThem() throws Exception {
        Path p = dir.resolve("s24-batch1.yaml");
        Files.writeString(p, "extends: samsung-galaxy-s24-snapdragon\nid: s24-batch1\nname: S24, batch 1\n"
                + "dims: {batch: 1}\n");
        DeviceProfile s24 = profiles.read(p);
        OnnxModel m = Models.load(Models.fp32MatMul("batch"), dir);
        DeviceReport r = checker.check(m, List.of(s24), CheckOptions.defaults()).devices().get(0);
        assertEquals(Map.of("batch", 1L), r.dims());
        assertEquals("needs-quantization", coverage(r, "qnn-htp").fallbacks().get(0).reason());
        DeviceReport over = checker.check(m, List.of(s24), new CheckOptions(Map.of("batch", 8L), OptionalLong.empty()))
                .devices().get(0);
        assertEquals(Map.of("batch", 8L), over.dims());
        assertEquals(8 * 16 * 32, coverage(over, "qnn-htp").macsTotal());
    }

    /**
     * ORT's usability checker reads the NeuralNetwork table row 'ai.onnx.ReduceSum' (dot instead of
     * colon), skips it, and so reports ReduceSum as unsupported on CoreML. The builder exists, and
     * Satchel's data lists it, so the node is taken.
     */
    @Test
    void coremlNeuralNetwork_reduceSum_isTakenUnlikeOrtsChecker() throws Exception {
        DeviceReport r = check(Models.load(Models.reduceSum(), dir), "apple-iphone-15-pro");
        EpCoverage nn = coverage(r, "coreml-neuralnetwork");
        assertEquals(1, nn.nodesTaken());
        assertTrue(nn.fallbacks().isEmpty());
    }

    /** A kernel registered for opsets 13-20 does not take a Transpose in an opset-21 model. */
    @Test
    void webgpu_transposeAtOpset21_fallsBackBecauseTheKernelStopsAt20() throws Exception {
        DeviceReport at21 = check(Models.load(Models.transpose(21), dir), "browser-chrome-webgpu");
        EpCoverage.NodeFallback f = coverage(at21, "webgpu").fallbacks().get(0);
        assertEquals("opset-not-registered", f.reason());
        assertTrue(f.detail().contains("1-12,13-20") && f.detail().contains("opset 21"), f.detail());
        DeviceReport at20 = check(Models.load(Models.transpose(20), dir), "browser-chrome-webgpu");
        assertEquals(1, coverage(at20, "webgpu").nodesTaken());
    }

    @Test
    void neuralEngine_fp32Model_isToldItRunsAtFp16() throws Exception {
        DeviceReport r = check(Models.load(Models.fp32MatMul(1), dir), "apple-iphone-15");
        assertTrue(codes(r, Severity.INFO).contains(FindingCode.DTYPE_PRECISION_CHANGE), r.findings().toString());
        DeviceReport q = check(Models.load(Models.qdqMatMul(), dir), "apple-iphone-15");
        assertFalse(codes(q, Severity.INFO).contains(FindingCode.DTYPE_PRECISION_CHANGE));
    }

    @Test
    void partitions_untakenNodeBetweenTakenOnes_makesTwo() throws Exception {
        DeviceReport r = check(Models.load(Models.reluErfRelu(), dir), "apple-iphone-15-pro");
        EpCoverage nn = coverage(r, "coreml-neuralnetwork");
        assertEquals(2, nn.nodesTaken());
        assertEquals(2, nn.partitions());
        assertEquals("op-not-supported", nn.fallbacks().get(0).reason());
        assertEquals(1, coverage(r, "coreml-mlprogram").partitions()); // MLProgram has Erf
    }

    @Test
    void memory_twoGigabyteModelOnLowEndAndroid_failsNamingBudgetEstimateAndContributors() throws Exception {
        OnnxModel m = Models.load(Models.twoGigabyteEmbeddings(dir), dir);
        DeviceReport r = check(m, "android-go-2gb");
        assertEquals(Verdict.FAIL, r.verdict());
        Finding f = r.findings().stream().filter(x -> x.code() == FindingCode.MEMORY_OVER_BUDGET).findFirst().get();
        assertEquals(Severity.FAIL, f.severity());
        assertTrue(f.message().contains("model budget 200 MiB (estimate)"), f.message());
        assertTrue(f.message().contains("estimated peak 3.01 GiB"), f.message());
        assertTrue(f.message().contains("E1 1.00 GiB (weight)") && f.message().contains("E2 1.00 GiB (weight)"),
                f.message());
        assertEquals(2L << 30, r.memory().weightsBytes());
        assertTrue(f.fix().get().contains("quantize"));
        // Over the Play asset-pack download budget too.
        assertTrue(codes(r, Severity.WARN).contains(FindingCode.STORAGE_OVER_DOWNLOAD_BUDGET));
    }

    @Test
    void memory_smallModelOnLaptop_passes() throws Exception {
        DeviceReport r = check(Models.load(Models.fp32MatMul(1), dir), "apple-macbook-air-m3");
        assertFalse(codes(r, Severity.FAIL).contains(FindingCode.MEMORY_OVER_BUDGET));
        MemoryEstimate m = r.memory();
        assertEquals(16 * 32 * 4 + 32 * 4, m.weightsBytes());
        // x (64 B) and h (128 B) and y (128 B) are live at once at the Add.
        assertEquals(64 + 128 + 128, m.activationPeakBytes());
        long firstRun = (long) Math.ceil(m.weightsBytes() * 1.5) + m.activationPeakBytes() * 2 + (10L << 20);
        assertEquals(firstRun, m.firstRunBytes());
        // From the second run on, ORT's memory pattern block: 1.35 x the activation peak more.
        assertEquals(firstRun + (long) Math.ceil(m.activationPeakBytes() * 1.35), m.totalBytes());
    }

    @Test
    void kvCache_context_sizesThePastInputs() throws Exception {
        OnnxModel m = Models.load(Models.decoderStep(), dir);
        DeviceReport small = check(m, "google-pixel-9", new CheckOptions(Map.of(), OptionalLong.of(100)));
        DeviceReport large = check(m, "google-pixel-9", new CheckOptions(Map.of(), OptionalLong.of(1000)));
        // past [1,4,N,8] float32 + present [1,4,N+1,8] float32
        assertEquals(4L * 100 * 8 * 4 + 4L * 101 * 8 * 4, small.memory().kvCacheBytes());
        assertEquals(4L * 1000 * 8 * 4 + 4L * 1001 * 8 * 4, large.memory().kvCacheBytes());
    }

    @Test
    void opset_newerThanTheDevicesRuntime_fails() throws Exception {
        Path p = dir.resolve("old-ort.yaml");
        Files.writeString(p, "extends: raspberry-pi-5\nid: pi-old-ort\nname: Pi with ORT 1.16\n"
                + "onnxruntime: {value: '1.16', evidence: estimate, basis: what our image ships}\n");
        DeviceProfile old = profiles.read(p);
        CheckReport r = checker.check(Models.load(Models.transpose(21), dir), List.of(old), CheckOptions.defaults());
        Finding f = r.devices().get(0).findings().get(0);
        assertEquals(FindingCode.OPSET_TOO_NEW, f.code());
        assertEquals(Severity.FAIL, f.severity());
        assertTrue(f.message().contains("opset 21") && f.message().contains("up to opset 19"), f.message());
        assertFalse(r.passes(false));
    }

    @Test
    void customDomain_failsAsNeedingAnOpLibrary() throws Exception {
        DeviceReport r = check(Models.load(Models.customOp(), dir), "raspberry-pi-5");
        assertTrue(codes(r, Severity.FAIL).contains(FindingCode.CUSTOM_OP_DOMAIN));
    }

    @Test
    void strict_warnOnlyDevice_passesUnlessStrict() throws Exception {
        CheckReport r = checker.check(Models.load(Models.fp32MatMul(1), dir),
                List.of(profiles.find("samsung-galaxy-s24-snapdragon").get()), CheckOptions.defaults());
        assertTrue(r.passes(false));
        assertFalse(r.passes(true));
    }

    @Test
    void latency_isAlwaysAnInfoEstimateWithItsBasis() throws Exception {
        DeviceReport r = check(Models.load(Models.fp32MatMul(1), dir), "raspberry-pi-5");
        assertTrue(r.latency().isPresent());
        Finding f = r.findings().stream().filter(x -> x.code() == FindingCode.LATENCY_ESTIMATE).findFirst().get();
        assertEquals(Severity.INFO, f.severity());
        assertTrue(f.message().contains("estimate") && f.message().contains("4 cores"), f.message());
    }

    @Test
    void json_sameInputs_sameBytes() throws Exception {
        OnnxModel m = Models.load(Models.fp32MatMul(1), dir);
        List<DeviceProfile> ds = List.of(profiles.find("samsung-galaxy-s24-snapdragon").get(),
                profiles.find("android-go-1gb").get());
        String a = CheckReportJson.toJson(checker.check(m, ds, CheckOptions.defaults()));
        String b = CheckReportJson.toJson(checker.check(m, ds, CheckOptions.defaults()));
        assertEquals(a, b);
        assertTrue(a.contains("\"schema\" : \"satchel.check/v1\""));
    }
}
