package dev.satchel.packager.quantize;

import dev.satchel.model.ModelReader;
import dev.satchel.model.ModelWriter;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.WriteOptions;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.testing.RealModels;
import java.nio.file.Path;

/** Developer tool: quantize MiniLM with a given mode/format to a path (args: mode format out). */
final class QuantizeExperiment {
    public static void main(String[] args) throws Exception {
        OnnxModel m = ModelReader.read(RealModels.path(ExampleModel.MINILM));
        QuantizeOptions o = QuantizeOptions.of(QuantizeMode.of(args[0])).withInt8Format(Int8Format.valueOf(args[1]));
        if (args.length > 3) {
            java.util.Map<String, Precision> pm = new java.util.TreeMap<>();
            for (String ls : args[4].split(",")) {
                int l = Integer.parseInt(ls);
                pm.put("/encoder/layer." + l + "/output/dense/MatMul", Precision.valueOf(args[3]));
            }
            o = o.withPrecisions(pm);
        }
        long t0 = System.nanoTime();
        Quantizer.Result r = Quantizer.quantize(m, o);
        ModelWriter.write(r.model(), Path.of(args[2]), WriteOptions.allInline());
        System.out.printf("quantized in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        r.decisions().forEach(d -> System.out.println("  " + d));
    }
}
