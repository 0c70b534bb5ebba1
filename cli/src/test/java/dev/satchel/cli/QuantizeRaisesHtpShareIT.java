package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 acceptance, end to end through the CLI: all-minilm-l6-v2 as shipped (fp32) gives the
 * Snapdragon phone's QNN HTP none of its MACs; {@code satchel quantize --mode int8-static} (QDQ,
 * uint8 activations and uint8 weights, the type pairs HTP's MatMul takes) raises the HTP share of
 * MACs, and {@code check} reports it. With {@code --signed-weights} (symmetric int8 weights) the
 * checker explains why HTP still refuses them.
 */
class QuantizeRaisesHtpShareIT {
    private static final String S24 = "samsung-galaxy-s24-snapdragon";

    @TempDir
    Path dir;

    private static List<String> dims() {
        List<String> d = new ArrayList<>();
        RealModels.defaultDims(ExampleModel.MINILM).forEach((k, v) -> {
            d.add("--dim");
            d.add(k + "=" + v);
        });
        return d;
    }

    private static JsonNode htp(Path model) throws Exception {
        List<String> args = new ArrayList<>(List.of("check", model.toString(), "--device", S24, "--format", "json"));
        args.addAll(dims());
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode device = new ObjectMapper().readTree(r.out()).path("devices").get(0);
        for (JsonNode c : device.path("accelerators")) {
            if (c.path("executionProvider").asText().equals("qnn-htp")) {
                return c;
            }
        }
        throw new AssertionError("no qnn-htp coverage in " + r.out());
    }

    private Path quantize(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("quantize", RealModels.path(ExampleModel.MINILM).toString(), "-o",
                out.toString(), "--mode", "int8-static", "--no-gate"));
        args.addAll(List.of(extra));
        args.addAll(dims());
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void quantizeInt8Static_raisesHtpShareOfMacs() throws Exception {
        JsonNode before = htp(RealModels.path(ExampleModel.MINILM));
        assertEquals(0, before.path("macsTaken").asLong(), before.toString());
        assertTrue(before.path("macsTotal").asLong() > 1_000_000_000L, before.toString());

        JsonNode after = htp(quantize("minilm-qdq-u8.onnx"));
        double share = after.path("macShare").asDouble();
        // Every MatMul with a constant weight is QDQ now (about two thirds of MiniLM's MACs at
        // sequence 128); the attention MatMuls of two activations stay float.
        assertTrue(share > 0.5, "HTP share of MACs after int8-static: " + after);
        assertEquals(after.path("macsTotal").asLong(), before.path("macsTotal").asLong());

        // The text report shows the new share in the table.
        List<String> args = new ArrayList<>(List.of("check", dir.resolve("minilm-qdq-u8.onnx").toString(), "--device", S24));
        args.addAll(dims());
        CliRun text = CliRun.of(args.toArray(String[]::new));
        assertTrue(text.out().contains(String.format(java.util.Locale.ROOT, "qnn-htp %.0f%%", 100 * share)), text.out());
    }

    @Test
    void quantizeInt8StaticSignedWeights_htpRefusesInt8WeightsAndSaysHowToFix() throws Exception {
        Path q = quantize("minilm-qdq-s8.onnx", "--signed-weights");
        JsonNode h = htp(q);
        assertEquals(0, h.path("macsTaken").asLong(), h.toString());
        List<String> args = new ArrayList<>(List.of("check", q.toString(), "--device", S24));
        args.addAll(dims());
        CliRun text = CliRun.of(args.toArray(String[]::new));
        assertTrue(text.out().contains("quantized-dtype-not-supported"), text.out());
        assertTrue(text.out().contains("re-quantize with uint8 weights (satchel quantize --mode int8-static, without --signed-weights)"),
                text.out());
    }
}
