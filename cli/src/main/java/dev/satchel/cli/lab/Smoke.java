package dev.satchel.cli.lab;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.store.ModelStore;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX Runtime smoke inference a lab device runs inside its container, after the update client
 * installed the model. Depends on the JDK, the verifier and ONNX Runtime only: the lab mounts the
 * satchel-cli jar (or classes directory), the verifier jar and the onnxruntime jar and starts this
 * class, so loading it must not pull in anything else.
 *
 * <p>Arguments: {@code (--store DIR --name NAME | --bundle FILE) --trust PEM THREADS RUNS
 * [NAME=VALUE]...}. It opens the device's store (or verifies a bundle file) with the release key
 * and memory-maps the first model entry, as an app does (docs/bundle-format.md §7); dims are bound
 * by symbolic name (as {@code satchel check --dim}), unknown ones default to 1. It loads the native
 * library, takes the process RSS as the baseline (as {@code MemoryEstimateIT} does), creates a
 * session from the mapped bytes (CPU EP, default arena, {@code THREADS} intra-op threads, which do
 * not spin-wait with {@code --no-spinning}), runs
 * once to warm up, then {@code RUNS} times with zero-filled inputs, and prints one line:
 * {@code SATCHEL-LAB-SMOKE {json}} with the baseline, peak RSS (VmHWM), session creation time and
 * every run's latency in nanoseconds. Exit 3 when the store holds no model.
 */
public final class Smoke {
    /** Prefix of the result line, so the lab finds it among the container's other output. */
    public static final String RESULT_PREFIX = "SATCHEL-LAB-SMOKE ";

    private Smoke() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: Smoke (--store DIR --name NAME | --bundle FILE) --trust PEM THREADS RUNS [NAME=VALUE]...");
            System.exit(2);
        }
        int i = 0;
        String store = null;
        String name = null;
        String bundleFile = null;
        String trust = null;
        boolean spinning = true;
        while (args[i].startsWith("--")) {
            switch (args[i]) {
                case "--store": store = args[i + 1]; break;
                case "--name": name = args[i + 1]; break;
                case "--bundle": bundleFile = args[i + 1]; break;
                case "--trust": trust = args[i + 1]; break;
                case "--no-spinning": spinning = false; i--; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i += 2;
        }
        int threads = Integer.parseInt(args[i]);
        int runs = Integer.parseInt(args[i + 1]);
        Map<String, Long> dims = new HashMap<>();
        for (String a : Arrays.asList(args).subList(i + 2, args.length)) {
            String[] kv = a.split("=", 2);
            dims.put(kv[0], Long.parseLong(kv[1]));
        }
        BundleVerifier verifier = BundleVerifier.create(VerificationPolicy.requireSignature(OmsSignatureCheck.of(
                TrustConfig.ofPublicKey(PublicKeyInfo.fromPem(Files.readString(Path.of(trust)))))));
        VerifiedBundle bundle;
        if (bundleFile != null) {
            bundle = verifier.verify(Path.of(bundleFile));
        } else {
            try (ModelStore s = ModelStore.open(Path.of(store), name, verifier)) {
                bundle = s.current();
            }
            if (bundle == null) {
                System.out.println(RESULT_PREFIX + "{\"installed\":false}");
                System.exit(3);
            }
        }
        MappedByteBuffer model = bundle.map(bundle.models().get(0).name());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.gc();
        long baseline = status("VmRSS:");
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            if (!spinning) {
                // Under a CPU quota below the thread count a spinning worker burns the quota its
                // peers need (ORT's session.intra_op.allow_spinning, on by default).
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            try (OrtSession s = env.createSession(model, o)) {
                long sessionNanos = System.nanoTime() - t0;
                Map<String, OnnxTensor> in = inputs(env, s, dims);
                s.run(in).close();
                List<Long> nanos = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    long r0 = System.nanoTime();
                    s.run(in).close();
                    nanos.add(System.nanoTime() - r0);
                }
                for (OnnxTensor t : in.values()) {
                    t.close();
                }
                System.out.println(RESULT_PREFIX + String.format(Locale.ROOT,
                        "{\"installed\":true,\"model\":\"%s\",\"version\":%d,\"baselineRssBytes\":%d,\"peakRssBytes\":%d,\"sessionNanos\":%d,\"runNanos\":%s,\"threads\":%d}",
                        bundle.manifest().name(), bundle.manifest().version(), baseline, status("VmHWM:"), sessionNanos, nanos, threads));
            }
        }
    }

    private static Map<String, OnnxTensor> inputs(OrtEnvironment env, OrtSession s, Map<String, Long> dims)
            throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>();
        for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
            TensorInfo ti = (TensorInfo) e.getValue().getInfo();
            long[] shape = ti.getShape().clone();
            String[] names = ti.getDimensionNames();
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0) {
                    shape[d] = names != null && d < names.length ? dims.getOrDefault(names[d], 1L) : 1L;
                }
                n *= shape[d];
            }
            int count = Math.toIntExact(n);
            OnnxTensor t;
            if (ti.type == OnnxJavaType.INT64) {
                t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[count]), shape);
            } else if (ti.type == OnnxJavaType.INT32) {
                t = OnnxTensor.createTensor(env, IntBuffer.wrap(new int[count]), shape);
            } else if (ti.type == OnnxJavaType.DOUBLE) {
                t = OnnxTensor.createTensor(env, DoubleBuffer.wrap(new double[count]), shape);
            } else if (ti.type == OnnxJavaType.FLOAT) {
                t = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[count]), shape);
            } else {
                t = OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(count * Math.max(1, ti.type.size)), shape, ti.type);
            }
            in.put(e.getKey(), t);
        }
        return in;
    }

    private static long status(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no " + key + " in /proc/self/status");
    }
}
