package dev.satchel.packager.quantize.internal;

import com.google.protobuf.UnsafeByteOperations;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Quantization arithmetic on weight tensors. Results live in direct buffers, so a quantized model
 * costs native memory the size of its output, not Java heap; the float source is read through the
 * model's mapped view.
 */
public final class Weights {
    private Weights() {}

    public static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes is too large for one buffer");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor whose raw_data aliases {@code data} (flipped or fully written, position 0). */
    public static Onnx.TensorProto tensor(String name, int dataType, ByteBuffer data, long... dims) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName(name).setDataType(dataType);
        for (long d : dims) {
            b.addDims(d);
        }
        ByteBuffer view = data.duplicate();
        view.position(0);
        view.limit(data.capacity());
        return b.setRawData(UnsafeByteOperations.unsafeWrap(view.asReadOnlyBuffer())).build();
    }

    public static Onnx.TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer b = allocate(4L * values.length);
        b.asFloatBuffer().put(values);
        return tensor(name, 1, b, dims);
    }

    public static Onnx.TensorProto int64s(String name, long[] values, long... dims) {
        ByteBuffer b = allocate(8L * values.length);
        b.asLongBuffer().put(values);
        return tensor(name, 7, b, dims);
    }

    /** Values per job: enough to amortise handing it to a thread, small enough to spread a model over every core. */
    private static final long JOB_VALUES = 1 << 18;

    /**
     * The quantization work of one rewrite, run on a worker thread per core while the rewrite goes
     * on building the graph. A job fills its own part of buffers allocated when it is submitted, so
     * the bytes do not depend on scheduling, and tensors made from those buffers (they alias them,
     * see {@link #tensor}) are complete once {@link #join} returns.
     *
     * <p>Why jobs rather than a parallel loop per tensor: a transformer has dozens of small weights,
     * and setting up a parallel stream per tensor cost more than quantizing it on a cold JVM; jobs
     * also let the cores work while the graph rewrite (single-threaded) runs.
     */
    public static final class Jobs implements AutoCloseable {
        private final ExecutorService pool;
        private final List<Future<?>> pending = new ArrayList<>();

        public Jobs() {
            int threads = Runtime.getRuntime().availableProcessors();
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "satchel-quantize-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        void submit(Runnable job) {
            pending.add(pool.submit(job));
        }

        /** Waits for every job; rethrows the first failure. */
        public void join() {
            try {
                for (Future<?> f : pending) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while quantizing", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            } finally {
                pending.clear();
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /**
     * Runs the int8 kernels on a small synthetic matrix so that the JIT has compiled them by the
     * time a model's weights arrive (a command line can call this on a spare core while it parses
     * its arguments). Cheap: about 0.3 M values.
     */
    public static void warmUp() {
        int k = 1024;
        int n = 96;
        ByteBuffer src = allocate(4L * k * n);
        FloatBuffer w = src.asFloatBuffer();
        for (int i = 0; i < k * n; i++) {
            w.put(i, ((i * 7919) % 255 - 127) / 64f);
        }
        for (int round = 0; round < 3; round++) {
            columnsJob(w, k, n, 0, n, true, allocate((long) k * n), allocate(4L * n).asFloatBuffer());
            float[] row = new float[n];
            float[] inv = new float[n];
            byte[] q = new byte[n];
            ByteBuffer out = allocate((long) k * n);
            ByteBuffer half = allocate(2L * k);
            for (int r = 0; r < k; r++) {
                quantizeRow(w, r, n, 8, n, row, inv, q, out, null, half);
            }
        }
    }

    /**
     * Symmetric int8 per output column of a row-major [K, N] matrix (per tensor when
     * {@code perChannel} is false). Returns the int8 codes [K, N]; scales are written to {@code scales}.
     */
    public static ByteBuffer int8Columns(FloatBuffer w, int k, int n, boolean perChannel, float[] scales) {
        ByteBuffer out = allocate((long) k * n);
        try (Jobs jobs = new Jobs()) {
            int8Columns(jobs, w, k, n, perChannel, out, FloatBuffer.wrap(scales));
            jobs.join();
        }
        return out;
    }

    /**
     * Submits the int8 quantization of a row-major [K, N] matrix: codes [K, N] into {@code out},
     * scales into {@code scales} (N of them per channel, one per tensor).
     *
     * <p>Per channel, each job takes a range of columns and makes two passes over its rows of the
     * (memory-mapped) source, row by row: the column maxima, then the codes. Per tensor, one job
     * takes every column. The heap holds a row per job, not a copy of the tensor.
     */
    public static void int8Columns(Jobs jobs, FloatBuffer w, int k, int n, boolean perChannel, ByteBuffer out, FloatBuffer scales) {
        int parts = perChannel ? (int) Math.max(1, Math.min(n / 16, (long) k * n / JOB_VALUES)) : 1;
        for (int p = 0; p < parts; p++) {
            int c0 = (int) ((long) n * p / parts);
            int c1 = (int) ((long) n * (p + 1) / parts);
            jobs.submit(() -> columnsJob(w, k, n, c0, c1, perChannel, out, scales));
        }
    }

    private static void columnsJob(FloatBuffer w, int k, int n, int c0, int c1, boolean perChannel, ByteBuffer out, FloatBuffer scales) {
        int len = c1 - c0;
        float[] row = new float[len];
        int[] maxBits = new int[len];
        for (int r = 0; r < k; r++) {
            rowMax(w, r * n + c0, row, maxBits);
        }
        if (!perChannel) {
            int m = 0;
            for (int x : maxBits) {
                m = Math.max(m, x);
            }
            java.util.Arrays.fill(maxBits, m);
        }
        float[] inv = new float[len];
        for (int c = 0; c < len; c++) {
            float max = Float.intBitsToFloat(maxBits[c]);
            float scale = max == 0 ? 1f : max / 127f;
            inv[c] = 1f / scale;
            if (perChannel || c == 0) {
                scales.put(perChannel ? c0 + c : 0, scale);
            }
        }
        byte[] q = new byte[len];
        for (int r = 0; r < k; r++) {
            rowCodes(w, r * n + c0, row, inv, q, out);
        }
    }

    // Per-row steps, called thousands of times: the JIT compiles them after a few hundred calls,
    // where a loop over a whole tensor would run interpreted until on-stack replacement.

    /**
     * {@code max[c] = max(max[c], |w[at + c]|)}, on the floats' bit patterns: with the sign bit
     * cleared, the bits of floats order as their magnitudes do, so the largest magnitude is an
     * integer max, without the NaN rules of a float compare (a call per value in C1, a blend in C2).
     */
    private static void rowMax(FloatBuffer w, int at, float[] row, int[] max) {
        w.get(at, row, 0, row.length);
        for (int c = 0; c < row.length; c++) {
            max[c] = Math.max(max[c], Float.floatToRawIntBits(row[c]) & 0x7fffffff);
        }
    }

    /** int8 codes of {@code w[at .. at + row.length)}, value c scaled by {@code inv[c]}, written to {@code out[at ..]}. */
    private static void rowCodes(FloatBuffer w, int at, float[] row, float[] inv, byte[] q, ByteBuffer out) {
        w.get(at, row, 0, row.length);
        codes(row, 0, row.length, inv, q, 0);
        out.put(at, q, 0, row.length);
    }

    /**
     * int8 codes of {@code n} values, value c scaled by {@code inv[c]} and rounded to nearest, ties
     * to even (ONNX QuantizeLinear's rounding, and numpy's, which ONNX Runtime's quantizer uses).
     *
     * <p>Rounding by adding 1.5 * 2^23: for |y| < 2^22 the sum's low mantissa bits are round(y) in
     * two's complement, so the code is the sum's low byte: a multiply, an add and a move per value,
     * cheap in every JIT tier. No clamp: each scale is the largest magnitude over 127, so |y| stays
     * below 127.5. A NaN weight gives code 0.
     */
    private static void codes(float[] v, int off, int n, float[] inv, byte[] q, int qOff) {
        for (int c = 0; c < n; c++) {
            q[qOff + c] = (byte) Float.floatToRawIntBits(v[off + c] * inv[c] + ROUNDING_BIAS);
        }
    }

    /** 1.5 * 2^23: see {@link #codes}. */
    private static final float ROUNDING_BIAS = 0x1.8p23f;

    /**
     * Block-wise quantization of a row-major [K, N] matrix in the layout of
     * com.microsoft:MatMulNBits: B is [N, ceil(K/block), block*bits/8], codes packed low bits first
     * along K, scales [N * blocks], zero points packed the same way (or absent for symmetric, where
     * the operator's default zero point 2^(bits-1) applies).
     */
    public static NBits nbits(FloatBuffer w, int k, int n, int bits, int block, boolean symmetric) {
        int blocks = (k + block - 1) / block;
        int blob = block * bits / 8;
        int levels = (1 << bits) - 1;
        int mid = 1 << (bits - 1);
        ByteBuffer b = allocate((long) n * blocks * blob);
        float[] scales = new float[n * blocks];
        int[] zps = symmetric ? null : new int[n * blocks];
        float[] col = new float[block];
        for (int c = 0; c < n; c++) {
            for (int blk = 0; blk < blocks; blk++) {
                int len = Math.min(block, k - blk * block);
                float lo = 0;
                float hi = 0;
                float amax = 0;
                for (int i = 0; i < len; i++) {
                    float v = w.get((blk * block + i) * n + c);
                    col[i] = v;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    amax = Math.max(amax, Math.abs(v));
                }
                float scale;
                int zp;
                if (symmetric) {
                    // Codes mid-(mid-1) .. mid+(mid-1): keep the grid symmetric around zero.
                    scale = amax == 0 ? 1f : amax / (mid - 1);
                    zp = mid;
                } else {
                    scale = hi == lo ? 1f : (hi - lo) / levels;
                    zp = clamp(Math.round(-lo / scale), 0, levels);
                }
                if (bits < 8 && amax > 0) {
                    // Below 8 bits the range is worth clipping: try shrinking it and keep the scale
                    // with the least squared error over the block (outliers get clipped, the bulk of
                    // the values get a finer grid).
                    double best = blockError(col, len, scale, zp, levels);
                    for (int step = 1; step <= 6; step++) {
                        float r = 1f - 0.05f * step;
                        float s2;
                        int z2;
                        if (symmetric) {
                            s2 = amax * r / (mid - 1);
                            z2 = mid;
                        } else {
                            s2 = (hi - lo) * r / levels;
                            z2 = clamp(Math.round(-lo * r / s2), 0, levels);
                        }
                        double e = blockError(col, len, s2, z2, levels);
                        if (e < best) {
                            best = e;
                            scale = s2;
                            zp = z2;
                        }
                    }
                }
                int idx = c * blocks + blk;
                scales[idx] = scale;
                if (zps != null) {
                    zps[idx] = zp;
                }
                int off = idx * blob;
                for (int i = 0; i < block; i++) {
                    int code = i < len ? clamp(Math.round(col[i] / scale) + zp, 0, levels) : zp;
                    putCode(b, off, i, code, bits);
                }
            }
        }
        ByteBuffer zpBuf = null;
        if (zps != null) {
            int perByte = 8 / bits;
            int zpBytesPerCol = (blocks + perByte - 1) / perByte;
            zpBuf = allocate((long) n * zpBytesPerCol);
            for (int c = 0; c < n; c++) {
                for (int blk = 0; blk < blocks; blk++) {
                    putCode(zpBuf, c * zpBytesPerCol, blk, zps[c * blocks + blk], bits);
                }
            }
        }
        return new NBits(b, scales, zpBuf, blocks, blob);
    }

    private static double blockError(float[] v, int len, float scale, int zp, int levels) {
        double e = 0;
        for (int i = 0; i < len; i++) {
            int q = clamp(Math.round(v[i] / scale) + zp, 0, levels);
            double d = v[i] - (q - zp) * (double) scale;
            e += d * d;
        }
        return e;
    }

    /** Block-quantized weight in MatMulNBits layout. */
    public record NBits(ByteBuffer data, float[] scales, ByteBuffer zeroPoints, int blocks, int blob) {}

    private static void putCode(ByteBuffer b, int off, int i, int code, int bits) {
        if (bits == 8) {
            b.put(off + i, (byte) code);
            return;
        }
        int perByte = 8 / bits;
        int at = off + i / perByte;
        int shift = (i % perByte) * bits;
        b.put(at, (byte) ((b.get(at) & 0xff) | (code << shift)));
    }

    /**
     * Row-wise quantization of an embedding table [V, D]: symmetric codes per block of
     * {@code block} values along D (block == D means one scale per row). 8 bits gives int8 codes;
     * 4 bits gives unsigned codes 1..15 around 8, two per byte, low nibble first.
     */
    public static ByteBuffer rows(FloatBuffer w, int v, int d, int bits, int block, float[] scales) {
        ByteBuffer q = allocate((long) v * d * bits / 8);
        try (Jobs jobs = new Jobs()) {
            rows(jobs, w, v, d, bits, block, q, FloatBuffer.wrap(scales), null);
            jobs.join();
        }
        return q;
    }

    /**
     * Submits the row-wise quantization of [V, D] (see {@link #rows(FloatBuffer, int, int, int, int, float[])})
     * in jobs of whole rows: codes into {@code out}, the scale of row r block b to {@code scales}
     * index {@code r * blocks + b} or, when {@code halfScales} is given instead, as float16 to its
     * bytes {@code 2 * (r * blocks + b)}. Rows are independent, so the bytes do not depend on how
     * they were split.
     */
    public static void rows(Jobs jobs, FloatBuffer w, int v, int d, int bits, int block, ByteBuffer out, FloatBuffer scales,
            ByteBuffer halfScales) {
        int parts = (int) Math.max(1, Math.min(v, (long) v * d / JOB_VALUES));
        for (int p = 0; p < parts; p++) {
            int r0 = (int) ((long) v * p / parts);
            int r1 = (int) ((long) v * (p + 1) / parts);
            jobs.submit(() -> {
                float[] row = new float[d];
                byte[] q = new byte[d * bits / 8];
                float[] inv = new float[block];
                for (int r = r0; r < r1; r++) {
                    quantizeRow(w, r, d, bits, block, row, inv, q, out, scales, halfScales);
                }
            });
        }
    }

    private static void quantizeRow(FloatBuffer w, int r, int d, int bits, int block, float[] row, float[] inv, byte[] q, ByteBuffer out,
            FloatBuffer scales, ByteBuffer halfScales) {
        int blocks = d / block;
        int mid = 1 << (bits - 1);
        w.get(r * d, row, 0, d);
        if (bits != 8) {
            java.util.Arrays.fill(q, (byte) 0);
        }
        for (int blk = 0; blk < blocks; blk++) {
            int base = blk * block;
            float amax = Float.intBitsToFloat(maxAbsBits(row, base, block));
            float sc = amax == 0 ? 1f : amax / (mid - 1);
            float iv = 1f / sc;
            int at = r * blocks + blk;
            if (halfScales != null) {
                halfScales.putShort(2 * at, toHalf(sc));
            } else {
                scales.put(at, sc);
            }
            if (bits == 8) {
                // The column kernel with one scale repeated: one kernel for the JIT to compile.
                java.util.Arrays.fill(inv, iv);
                codes(row, base, block, inv, q, base);
            } else {
                for (int i = 0; i < block; i++) {
                    int code = clamp(roundHalfAway(row[base + i] * iv), -(mid - 1), mid - 1);
                    int e = base + i;
                    q[e / 2] = (byte) ((q[e / 2] & 0xff) | ((code + mid) << ((e % 2) * 4)));
                }
            }
        }
        out.put(r * q.length, q, 0, q.length);
    }

    /** The bit pattern of the largest magnitude in {@code v[off .. off + len)} (see {@link #rowMax}). */
    private static int maxAbsBits(float[] v, int off, int len) {
        int m = 0;
        for (int i = 0; i < len; i++) {
            m = Math.max(m, Float.floatToRawIntBits(v[off + i]) & 0x7fffffff);
        }
        return m;
    }

    /** IEEE 754 binary16, round to nearest even (Float.floatToFloat16 arrives only in Java 20). */
    public static short toHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    public static float fromHalf(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            return (sign != 0 ? -1 : 1) * mant * 0x1p-24f;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /**
     * Round half away from zero. Plain arithmetic rather than Math.rint/Math.round: before the JIT
     * has compiled these loops, Math.rint runs as StrictMath code and dominated a cold run.
     */
    static int roundHalfAway(float x) {
        // x + copySign(0.5, x) is x + 0.5 or x - 0.5 exactly as the branch would pick (NaN gives 0
        // either way), without a branch: weight signs are random, and a mispredicted branch per
        // element cost more than the rest of the loop.
        return (int) (x + Math.copySign(0.5f, x));
    }

    static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
