package dev.satchel.packager.quantize.internal;

import com.google.protobuf.UnsafeByteOperations;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

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

    /** Floats read from the source per step: large enough for bulk copies, small enough to stay in cache. */
    private static final int CHUNK_FLOATS = 1 << 14;
    /** Tasks per tensor: a few per core, so that a slow core does not hold the others up. */
    private static final int MAX_TASKS = 4 * Runtime.getRuntime().availableProcessors();

    /** The body of one task: rows {@code [lo, hi)}, task number {@code t}. */
    @FunctionalInterface
    private interface RowRange {
        void run(int t, int lo, int hi);
    }

    /**
     * Splits rows {@code [0, rows)} into contiguous ranges and runs them in parallel. Each row is
     * handled by exactly one task and its result depends only on its own values, so the output does
     * not depend on scheduling. Returns the number of tasks.
     */
    private static int parallelRows(int rows, int rowFloats, RowRange body) {
        long work = (long) rows * rowFloats;
        int tasks = (int) Math.max(1, Math.min(Math.min(MAX_TASKS, rows), work / (4L * CHUNK_FLOATS)));
        if (tasks == 1) {
            body.run(0, 0, rows);
            return 1;
        }
        java.util.stream.IntStream.range(0, tasks).parallel().forEach(t -> {
            body.run(t, (int) ((long) rows * t / tasks), (int) ((long) rows * (t + 1) / tasks));
        });
        return tasks;
    }

    /**
     * Symmetric int8 per output column of a row-major [K, N] matrix (per tensor when
     * {@code perChannel} is false). Returns the int8 codes [K, N]; scales are written to {@code scales}.
     *
     * <p>Two passes over the (memory-mapped) source in bulk chunks, rows split across cores: the
     * column maxima (each task keeps its own; max is exact, so the merge does not depend on how the
     * rows were split), then the codes. The heap holds a chunk per task, not a copy of the tensor.
     */
    public static ByteBuffer int8Columns(FloatBuffer w, int k, int n, boolean perChannel, float[] scales) {
        int chunkRows = Math.max(1, CHUNK_FLOATS / n);
        float[][] partial = new float[MAX_TASKS][];
        int tasks = parallelRows(k, n, (t, lo, hi) -> {
            float[] max = new float[n];
            float[] buf = new float[chunkRows * n];
            for (int r0 = lo; r0 < hi; r0 += chunkRows) {
                int len = Math.min(chunkRows, hi - r0) * n;
                w.get(r0 * n, buf, 0, len);
                for (int base = 0; base < len; base += n) {
                    columnMax(buf, base, n, max);
                }
            }
            partial[t] = max;
        });
        float[] max = partial[0];
        for (int t = 1; t < tasks; t++) {
            for (int c = 0; c < n; c++) {
                max[c] = Math.max(max[c], partial[t][c]);
            }
        }
        if (!perChannel) {
            float m = 0;
            for (float x : max) {
                m = Math.max(m, x);
            }
            java.util.Arrays.fill(max, m);
        }
        float[] inv = new float[n];
        for (int c = 0; c < n; c++) {
            scales[c] = max[c] == 0 ? 1f : max[c] / 127f;
            inv[c] = 1f / scales[c];
        }
        ByteBuffer out = allocate((long) k * n);
        parallelRows(k, n, (t, lo, hi) -> {
            float[] buf = new float[chunkRows * n];
            byte[] q = new byte[chunkRows * n];
            for (int r0 = lo; r0 < hi; r0 += chunkRows) {
                int len = Math.min(chunkRows, hi - r0) * n;
                w.get(r0 * n, buf, 0, len);
                for (int base = 0; base < len; base += n) {
                    columnCodes(buf, base, n, inv, q, base);
                }
                out.put(r0 * n, q, 0, len);
            }
        });
        return out;
    }

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
     *
     * <p>Rows are independent: they are split across cores, read from the source in bulk chunks
     * and written to their own slice of the result, so the output does not depend on scheduling.
     */
    public static ByteBuffer rows(FloatBuffer w, int v, int d, int bits, int block, float[] scales) {
        int blocks = d / block;
        int mid = 1 << (bits - 1);
        int rowBytes = d * bits / 8;
        ByteBuffer q = allocate((long) v * rowBytes);
        int chunkRows = Math.max(1, CHUNK_FLOATS / d);
        parallelRows(v, d, (t, lo, hi) -> {
            float[] buf = new float[chunkRows * d];
            byte[] out = new byte[chunkRows * rowBytes];
            float[] invs = new float[block];
            for (int r0 = lo; r0 < hi; r0 += chunkRows) {
                int rows = Math.min(chunkRows, hi - r0);
                w.get(r0 * d, buf, 0, rows * d);
                if (bits != 8) {
                    java.util.Arrays.fill(out, (byte) 0);
                }
                for (int r = 0; r < rows; r++) {
                    int row = r * d;
                    int outRow = r * rowBytes;
                    for (int blk = 0; blk < blocks; blk++) {
                        int base = row + blk * block;
                        float amax = maxAbs(buf, base, block);
                        float sc = amax == 0 ? 1f : amax / (mid - 1);
                        float inv = 1f / sc;
                        scales[(r0 + r) * blocks + blk] = sc;
                        if (bits == 8) {
                            // The column kernel with one scale repeated: one kernel for the JIT to compile.
                            java.util.Arrays.fill(invs, inv);
                            columnCodes(buf, base, block, invs, out, outRow + blk * block);
                        } else {
                            for (int i = 0; i < block; i++) {
                                int code = clamp(roundHalfAway(buf[base + i] * inv), -(mid - 1), mid - 1);
                                int e = blk * block + i;
                                int at = outRow + e / 2;
                                out[at] = (byte) ((out[at] & 0xff) | ((code + mid) << ((e % 2) * 4)));
                            }
                        }
                    }
                }
                q.put(r0 * rowBytes, out, 0, rows * rowBytes);
            }
        });
        return q;
    }

    // Small kernels, called once per row or block: the JIT compiles them after a few hundred calls,
    // where loops inlined in a task body would run interpreted until on-stack replacement.

    /** {@code max[c] = max(max[c], |v[off + c]|)} for every column c. */
    private static void columnMax(float[] v, int off, int n, float[] max) {
        for (int c = 0; c < n; c++) {
            max[c] = Math.max(max[c], Math.abs(v[off + c]));
        }
    }

    /** int8 codes of {@code n} values, value c scaled by {@code inv[c]}. */
    private static void columnCodes(float[] v, int off, int n, float[] inv, byte[] q, int qOff) {
        for (int c = 0; c < n; c++) {
            q[qOff + c] = (byte) clamp(roundHalfAway(v[off + c] * inv[c]), -127, 127);
        }
    }

    private static float maxAbs(float[] v, int off, int len) {
        float m = 0;
        for (int i = 0; i < len; i++) {
            m = Math.max(m, Math.abs(v[off + i]));
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
