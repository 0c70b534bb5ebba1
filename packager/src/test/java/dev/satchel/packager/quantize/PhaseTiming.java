package dev.satchel.packager.quantize;

import dev.satchel.model.ModelReader;
import dev.satchel.model.ModelWriter;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.WriteOptions;
import java.nio.file.Path;

/** Developer tool: wall time of each phase of an int8 quantization in a fresh JVM. Args: in out. */
final class PhaseTiming {
    public static void main(String[] args) throws Exception {
        long t00 = System.nanoTime();
        dev.satchel.model.onnx.Onnx.ModelProto.getDefaultInstance();
        long t01 = System.nanoTime();
        System.out.printf("proto class init %d ms%n", (t01 - t00) / 1000000);
        long t0 = System.nanoTime();
        OnnxModel m = ModelReader.read(Path.of(args[0]));
        long t0b = System.nanoTime();
        ModelReader.read(Path.of(args[0]));
        System.out.printf("second read %d ms%n", (System.nanoTime() - t0b) / 1000000);
        long t1 = System.nanoTime();
        Quantizer.Result r = Quantizer.quantize(m, QuantizeOptions.of(QuantizeMode.INT8));
        long t2 = System.nanoTime();
        ModelWriter.write(r.model(), Path.of(args[1]), WriteOptions.allInline());
        long t3 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            long a = System.nanoTime();
            dev.satchel.packager.quantize.internal.WeightRewriter wr = new dev.satchel.packager.quantize.internal.WeightRewriter(m,
                    QuantizeOptions.of(QuantizeMode.INT8));
            dev.satchel.model.onnx.Onnx.ModelProto p = wr.run();
            long b = System.nanoTime();
            ModelReader.validate(m.withProto(p));
            long c = System.nanoTime();
            System.out.printf("  warm rewrite %d ms, validate %d ms%n", (b - a) / 1000000, (c - b) / 1000000);
        }
        System.out.printf("read %d ms, quantize %d ms, write %d ms%n", (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000);
    }
}
