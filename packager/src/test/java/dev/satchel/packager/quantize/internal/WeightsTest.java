package dev.satchel.packager.quantize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightsTest {
    /** The definition the quantized bytes were produced with before the branch-free form. */
    private static int branchy(float x) {
        return (int) (x >= 0 ? x + 0.5f : x - 0.5f);
    }

    @Test
    void roundHalfAway_equalsBranchyDefinitionEverywhere() {
        float[] special = {0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 0.49999997f, -0.49999997f, 126.5f, -126.5f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000), 8388607.5f, -8388607.5f, 16777217f};
        for (float x : special) {
            assertEquals(branchy(x), Weights.roundHalfAway(x), "x = " + x);
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 1_000_000; i++) {
            float x = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextDouble() * 300 - 150);
            assertEquals(branchy(x), Weights.roundHalfAway(x), "x = " + x);
        }
    }

    /**
     * Reference: one heap copy, one loop per pass, float max and abs, and Math.rint (round half to
     * even, ONNX QuantizeLinear's rounding) where the kernels use integer max on bit patterns and
     * the 1.5 * 2^23 rounding trick.
     */
    private static byte[] columnsReference(float[] v, int k, int n, float[] scales) {
        float[] max = new float[n];
        for (int i = 0; i < k * n; i++) {
            max[i % n] = Math.max(max[i % n], Math.abs(v[i]));
        }
        byte[] q = new byte[k * n];
        for (int c = 0; c < n; c++) {
            scales[c] = max[c] == 0 ? 1f : max[c] / 127f;
        }
        for (int i = 0; i < k * n; i++) {
            q[i] = (byte) Weights.clamp((int) Math.rint(v[i] * (1f / scales[i % n])), -127, 127);
        }
        return q;
    }

    @Test
    void int8Columns_largeSplitMatrix_matchesSingleThreadedReference() {
        // 600 K values: split into jobs of column ranges (one job takes up to 256 K values).
        int k = 2000;
        int n = 300;
        float[] v = new float[k * n];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * (i % n == 7 ? 0 : 1 + i % 5);
        }
        ByteBuffer src = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        src.asFloatBuffer().put(v);
        FloatBuffer w = src.asFloatBuffer();
        float[] scales = new float[n];
        ByteBuffer q = Weights.int8Columns(w, k, n, true, scales);
        float[] expectScales = new float[n];
        byte[] expect = columnsReference(v, k, n, expectScales);
        byte[] got = new byte[k * n];
        q.get(0, got);
        assertArrayEquals(expectScales, scales);
        assertArrayEquals(expect, got);
        assertEquals(1f, scales[7]);
    }

    @Test
    void int8Columns_exactTies_roundToEven_andSplitColumnsAgreeWithPerTensor() {
        // Column 0 has max 127 (scale 1): 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -2.5 -> -2, -127 -> -127.
        int k = 6;
        int n = 40;
        float[] v = new float[k * n];
        float[] col0 = {0.5f, 1.5f, 2.5f, -2.5f, -127f, 127f};
        for (int r = 0; r < k; r++) {
            v[r * n] = col0[r];
            for (int c = 1; c < n; c++) {
                v[r * n + c] = (r + 1) * (c % 3 == 0 ? -0.25f : 0.125f) * c;
            }
        }
        ByteBuffer src = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        src.asFloatBuffer().put(v);
        float[] scales = new float[n];
        ByteBuffer q = Weights.int8Columns(src.asFloatBuffer(), k, n, true, scales);
        byte[] got = new byte[k * n];
        q.get(0, got);
        assertEquals(1f, scales[0]);
        assertArrayEquals(new byte[] {0, 2, 2, -2, -127, 127}, new byte[] {got[0], got[n], got[2 * n], got[3 * n], got[4 * n], got[5 * n]});
        float[] expectScales = new float[n];
        assertArrayEquals(columnsReference(v, k, n, expectScales), got);
        // Per tensor: one scale, the largest magnitude of all (127 here), for every column.
        float[] one = new float[n];
        ByteBuffer qt = Weights.int8Columns(src.asFloatBuffer(), k, n, false, one);
        assertEquals(1f, one[0]);
        byte[] gotT = new byte[k * n];
        qt.get(0, gotT);
        for (int i = 0; i < k * n; i++) {
            assertEquals((byte) Math.rint(v[i]), gotT[i], "element " + i);
        }
    }

    @Test
    void rows_eightAndFourBits_matchPerRowReference() {
        // 640 K values: split into jobs of whole rows.
        int v = 5000;
        int d = 128;
        float[] x = new float[v * d];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        ByteBuffer src = ByteBuffer.allocateDirect(4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        src.asFloatBuffer().put(x);
        for (int bits : new int[] {8, 4}) {
            int block = bits == 8 ? d : 64;
            int blocks = d / block;
            int mid = 1 << (bits - 1);
            float[] scales = new float[v * blocks];
            ByteBuffer q = Weights.rows(src.asFloatBuffer(), v, d, bits, block, scales);
            byte[] expect = new byte[v * d * bits / 8];
            for (int row = 0; row < v; row++) {
                for (int b = 0; b < blocks; b++) {
                    float amax = 0;
                    for (int i = 0; i < block; i++) {
                        amax = Math.max(amax, Math.abs(x[row * d + b * block + i]));
                    }
                    float sc = amax == 0 ? 1f : amax / (mid - 1);
                    assertEquals(sc, scales[row * blocks + b]);
                    for (int i = 0; i < block; i++) {
                        int e = b * block + i;
                        // 8 bits round half to even (as the int8 column kernel); 4 bits half away from zero.
                        float y = x[row * d + e] * (1f / sc);
                        int code = Weights.clamp(bits == 8 ? (int) Math.rint(y) : branchy(y), -(mid - 1), mid - 1);
                        if (bits == 8) {
                            expect[row * d + e] = (byte) code;
                        } else {
                            expect[row * d / 2 + e / 2] |= (byte) ((code + mid) << ((e % 2) * 4));
                        }
                    }
                }
            }
            byte[] got = new byte[expect.length];
            q.get(0, got);
            assertArrayEquals(expect, got, bits + " bits");
        }
    }
}
