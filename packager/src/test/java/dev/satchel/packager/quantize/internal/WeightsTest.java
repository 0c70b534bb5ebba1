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

    /** Reference: one heap copy, one loop per pass (what the chunked, parallel version replaced). */
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
            q[i] = (byte) Weights.clamp(branchy(v[i] * (1f / scales[i % n])), -127, 127);
        }
        return q;
    }

    @Test
    void int8Columns_largeSplitMatrix_matchesSingleThreadedReference() {
        int k = 1000;
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
    void rows_eightAndFourBits_matchPerRowReference() {
        int v = 700;
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
                        int code = Weights.clamp(branchy(x[row * d + e] * (1f / sc)), -(mid - 1), mid - 1);
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
