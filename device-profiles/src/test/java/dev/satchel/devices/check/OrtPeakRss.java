package dev.satchel.devices.check;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link MemoryEstimateIT}: loads the ONNX Runtime native library, takes the
 * process RSS as baseline, creates a session (default arena and memory pattern, one intra-op
 * thread), runs once with zero-filled inputs, and prints the peak RSS increase (VmHWM minus the
 * baseline) in bytes. Arguments: model path, then NAME=VALUE bindings for dynamic dims given as
 * {@code input:axis=value}.
 */
public final class OrtPeakRss {
    private OrtPeakRss() {}

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, Long> dims = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            dims.put(kv[0], Long.parseLong(kv[1]));
        }
        System.gc();
        Thread.sleep(100);
        long base = status("VmRSS:");
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(args[0], o)) {
                Map<String, OnnxTensor> in = new HashMap<>();
                for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
                    TensorInfo ti = (TensorInfo) e.getValue().getInfo();
                    long[] shape = ti.getShape().clone();
                    long n = 1;
                    for (int d = 0; d < shape.length; d++) {
                        if (shape[d] < 0) {
                            shape[d] = dims.getOrDefault(e.getKey() + ":" + d, 1L);
                        }
                        n *= shape[d];
                    }
                    if (ti.type == ai.onnxruntime.OnnxJavaType.INT64) {
                        in.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(new long[(int) n]), shape));
                    } else {
                        in.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[(int) n]), shape));
                    }
                }
                // -Dsatchel.runs=N: from the second run on ORT allocates its memory pattern.
                for (int r = 0; r < Integer.getInteger("satchel.runs", 1); r++) {
                    s.run(in).close();
                }
            }
        }
        System.out.println(status("VmHWM:") - base);
    }

    private static long status(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no " + key + " in /proc/self/status");
    }
}
