package dev.satchel.devices.ep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ep.internal.EpDataReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the execution-provider data files well-formed and checks the facts the checker relies on. */
class ExecutionProviderDataTest {
    private final ExecutionProviderCatalogue eps = ExecutionProviderCatalogue.builtIn();

    @Test
    void index_listsEveryDataFile() throws Exception {
        Path dir = Path.of(ExecutionProviderCatalogue.class.getResource("/dev/satchel/devices/ep/index.txt").toURI())
                .getParent();
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(ExecutionProviderCatalogue.indexEntries()));
        assertEquals(files.size(), eps.all().size());
    }

    @Test
    void providersFile_equalsTheProvidersOfTheData() {
        assertEquals(eps.providerIds(), ExecutionProviderCatalogue.declaredProviderIds());
    }

    @Test
    void everyProvider_namedByABuiltInProfile_hasData() {
        for (DeviceProfile p : ProfileCatalogue.builtIn().all()) {
            for (String ep : p.executionProviders()) {
                assertFalse(eps.forProvider(ep).isEmpty(), p.id() + ": " + ep);
            }
        }
    }

    @Test
    void listedProviders_haveSourcesOpsAndContiguousOpsetRanges() {
        for (ExecutionProvider ep : eps.all()) {
            assertFalse(ep.sources().isEmpty(), ep.id());
            if (ep.coverage() == ExecutionProvider.Coverage.LISTED) {
                assertFalse(ep.ops().isEmpty(), ep.id());
            }
            for (OpSupport op : ep.ops()) {
                op.opsets().ifPresent(r -> assertTrue(r.isContiguous(), ep.id() + " " + op.qualifiedName() + " " + r));
                op.sinceOrt().ifPresent(v -> assertTrue(ExecutionProviderCatalogue.compareVersions(v, "1.0") > 0));
                for (Constraint c : op.constraints()) {
                    assertFalse(c.text().isBlank(), ep.id() + " " + op.qualifiedName());
                }
            }
        }
    }

    @Test
    void qnnHtp_matMul_takesOnlyQuantizedInputs() {
        ExecutionProvider htp = eps.byId("qnn-htp").get();
        OpSupport matMul = htp.op("", "MatMul").get();
        Constraint.QuantizedInputs q = (Constraint.QuantizedInputs) matMul.constraints().get(0);
        assertEquals(List.of(0, 1), q.inputs());
        assertEquals(List.of("uint8", "uint16"), q.dtypes());
        assertTrue(htp.dtypeRules().floatNeedsQuantization());
        assertTrue(htp.dtypeRules().floatTypes().isEmpty());
        assertTrue(htp.rules().staticShapes());
    }

    /** ORT's usability checker skips the NeuralNetwork table row 'ai.onnx.ReduceSum' (no colon). */
    @Test
    void coremlNeuralNetwork_reduceSum_isListedDespiteTheUpstreamTableTypo() {
        OpSupport reduceSum = eps.byId("coreml-neuralnetwork").get().op("ai.onnx", "ReduceSum").get();
        assertTrue(reduceSum.notes().get(0).contains("misspelled"));
        assertTrue(eps.byId("coreml-mlprogram").get().op("", "ArgMax").isPresent());
        assertEquals(5, eps.byId("coreml-neuralnetwork").get().rules().maxRank().get());
    }

    /** A kernel registered for 13-20 does not take a Transpose in an opset-21 model. */
    @Test
    void webgpu_transpose_isRegisteredOnlyBelowOpset21() {
        OpsetRanges r = eps.byId("webgpu").get().op("", "Transpose").get().opsets().get();
        assertTrue(r.contains(13));
        assertTrue(r.contains(20));
        assertFalse(r.contains(21));
        assertEquals(20, r.max());
    }

    @Test
    void xnnpack_conv_needsRank4AndConstantWeights() {
        OpSupport conv = eps.byId("xnnpack").get().op("", "Conv").get();
        assertEquals(List.of("input-rank", "const-inputs"),
                conv.constraints().stream().map(Constraint::kind).collect(Collectors.toList()));
        assertEquals(List.of(1, 2), ((Constraint.ConstInputs) conv.constraints().get(1)).inputs());
        assertEquals("1.14", eps.byId("xnnpack").get().op("", "MatMul").get().sinceOrt().get());
    }

    @Test
    void nnapi_includesBuilderFactoryOpsMissingFromTheDocTable() {
        assertTrue(eps.byId("nnapi").get().op("", "LeakyRelu").isPresent());
        assertTrue(eps.byId("nnapi").get().op("com.microsoft", "QLinearMul").isPresent());
        assertTrue(eps.byId("nnapi").get().rules().deprecated().isPresent());
    }

    @Test
    void coreml_providerHasBothModelFormats() {
        assertEquals(Set.of("coreml-neuralnetwork", "coreml-mlprogram"),
                eps.forProvider("coreml").stream().map(ExecutionProvider::id).collect(Collectors.toSet()));
        assertEquals("15", eps.byId("coreml-mlprogram").get().rules().minOs().get("ios"));
    }

    @Test
    void ortReleases_areSortedWithNonDecreasingMaxOpset() {
        List<OrtRelease> rs = eps.releases();
        for (int i = 1; i < rs.size(); i++) {
            assertTrue(ExecutionProviderCatalogue.compareVersions(rs.get(i - 1).version(), rs.get(i).version()) < 0);
            assertTrue(rs.get(i - 1).maxOpset() <= rs.get(i).maxOpset());
        }
        assertEquals(21, eps.release("1.20").get().maxOpset());
        assertEquals(21, eps.release("1.20.1").get().maxOpset());
        assertEquals(19, eps.release("1.16").get().maxOpset());
        assertTrue(eps.release("1.20").get().documented());
        assertFalse(eps.release("1.24").get().documented());
        assertTrue(eps.release("0.9").isEmpty());
    }

    @Test
    void compareVersions_comparesNumerically() {
        assertTrue(ExecutionProviderCatalogue.compareVersions("1.9", "1.14") < 0);
        assertEquals(0, ExecutionProviderCatalogue.compareVersions("1.20", "1.20.0"));
    }

    @Test
    void opsetRanges_parseAndMatch() {
        OpsetRanges r = OpsetRanges.parse("6-12,13,14+");
        assertTrue(r.contains(6) && r.contains(13) && r.contains(99));
        assertFalse(r.contains(5));
        assertEquals("6-12,13,14+", r.toString());
        assertFalse(OpsetRanges.parse("1-5,9+").isContiguous());
    }

    @Test
    void reader_malformedFile_reportsEveryProblemWithAPointer() {
        String json = "{\"id\": \"x\", \"provider\": \"x\", \"ort_name\": \"X\", \"coverage\": \"listed\","
                + " \"list_origin\": \"t\", \"sources\": [{\"url\": \"u\"}], \"colour\": 1,"
                + " \"rules\": {\"static_shapes\": true, \"max_rank\": null, \"subgraphs\": false,"
                + " \"partition_cost\": \"free\"},"
                + " \"dtype_rules\": {\"float\": [\"fp32\"], \"quantized\": [], \"float_needs_quantization\": false},"
                + " \"global_constraints_text\": [],"
                + " \"ops\": [{\"op\": \"Conv\", \"domain\": \"\", \"opsets\": \"13-12\","
                + " \"constraints\": [{\"kind\": \"vibes\", \"text\": \"t\"}]},"
                + " {\"op\": \"Relu\", \"domain\": \"\", \"constraints\": [{\"kind\": \"const-inputs\", \"inputs\": []}]}]}";
        List<String> problems = new ArrayList<>();
        assertTrue(EpDataReader.readProvider("x.json", json, problems).isEmpty());
        String all = String.join("\n", problems);
        assertTrue(all.contains("x.json: /colour: unknown key"), all);
        assertTrue(all.contains("x.json: /rules/partition_cost:"), all);
        assertTrue(all.contains("x.json: /dtype_rules/float: unknown ONNX element type 'fp32'"), all);
        assertTrue(all.contains("x.json: /ops/0/opsets:"), all);
        assertTrue(all.contains("x.json: /ops/0/constraints/0/kind: unknown constraint kind 'vibes'"), all);
        assertTrue(all.contains("x.json: /ops/1/constraints/0/text:"), all);
        assertTrue(all.contains("x.json: /ops/1/constraints/0/inputs:"), all);
    }

    @Test
    void reader_duplicateKeys_areRejected() {
        List<String> problems = new ArrayList<>();
        EpDataReader.readProvider("d.json", "{\"id\": \"a\", \"id\": \"b\"}", problems);
        assertTrue(problems.get(0).startsWith("d.json: /: not valid JSON"), problems.toString());
    }
}
