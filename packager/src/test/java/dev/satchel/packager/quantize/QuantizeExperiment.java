package dev.satchel.packager.quantize;

import dev.satchel.model.ModelReader;
import dev.satchel.model.ModelWriter;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.WriteOptions;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Developer tool: quantize MiniLM to a path with per-node precision overrides.
 * Args: mode out [blockSize] [symmetric] [nodeSubstring=PRECISION ...]
 */
final class QuantizeExperiment {
    public static void main(String[] args) throws Exception {
        OnnxModel m = ModelReader.read(RealModels.path(ExampleModel.MINILM));
        QuantizeOptions o = QuantizeOptions.of(QuantizeMode.of(args[0])).withBlockSize(Integer.parseInt(args[2]))
                .withSymmetric(Boolean.parseBoolean(args[3]));
        Quantizer.Result probe = Quantizer.quantize(m, o);
        Map<String, Precision> pm = new TreeMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] kv = args[i].split("=");
            for (LayerDecision d : probe.decisions()) {
                if (d.node().contains(kv[0])) {
                    pm.put(d.node(), Precision.valueOf(kv[1]));
                }
            }
        }
        long t0 = System.nanoTime();
        Quantizer.Result r = Quantizer.quantize(m, o.withPrecisions(pm));
        ModelWriter.Result w = ModelWriter.write(r.model(), Path.of(args[1]), WriteOptions.allInline());
        System.out.printf("quantized in %d ms, %d bytes, overrides %s%n", (System.nanoTime() - t0) / 1_000_000, w.modelBytes(), pm.size());
    }
}
