package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-ahead is used only for the very model the command names, and never hides an error. */
class QuantizePrefetchTest {
    @TempDir
    Path dir;

    @Test
    void quantizeFile_readAhead_givesTheSameModel_onceAndOnlyForThatPath() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        Files.write(model, TinyModels.mlp().toByteArray());
        QuantizePrefetch.startIfQuantize(new String[] {"--stacktrace", "quantize", model.toString(), "-o", "out.onnx"});
        assertNull(QuantizePrefetch.take(dir.resolve("other.onnx")), "another path: the command reads it itself");
        OnnxModel ahead = QuantizePrefetch.take(model);
        assertNotNull(ahead);
        assertEquals(ModelReader.read(model).proto(), ahead.proto());
        assertNull(QuantizePrefetch.take(model), "taken once");
    }

    @Test
    void unreadableModel_noReadAhead_soTheCommandReportsTheErrorItself() throws Exception {
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x01});
        QuantizePrefetch.startIfQuantize(new String[] {"quantize", broken.toString(), "-o", "out.onnx"});
        assertNull(QuantizePrefetch.take(broken));
    }

    @Test
    void otherForms_startNothing() throws Exception {
        Path model = dir.resolve("mlp.onnx");
        Files.write(model, TinyModels.mlp().toByteArray());
        for (String[] args : new String[][] {
            {"check", model.toString()},
            {"quantize", "-o", "out.onnx", model.toString()},
            {"quantize", "example:minilm", "-o", "out.onnx"},
            {"quantize", dir.resolve("missing.onnx").toString()},
            {"quantize"},
        }) {
            QuantizePrefetch.startIfQuantize(args);
            assertNull(QuantizePrefetch.take(model), String.join(" ", args));
        }
    }
}
