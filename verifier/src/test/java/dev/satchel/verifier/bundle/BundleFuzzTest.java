package dev.satchel.verifier.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonException;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded mutation fuzzer (in the spirit of Jazzer/libFuzzer's mutators, without a native
 * agent) over the strict ZIP reader, the JSON reader and the manifest parser. Deterministic per
 * seed; time-bounded by {@code -Dsatchel.fuzz.seconds} (default 4 per target) so it runs in CI.
 *
 * <p>Properties: the only failure is the documented checked exception (never a runtime exception,
 * an error or a hang), and, because the format is canonical and signed, any mutant the verifier
 * accepts is byte-identical to its seed.
 */
class BundleFuzzTest {
    static final TestKeys KEYS = TestKeys.generate(1);
    static final long SECONDS = Long.getLong("satchel.fuzz.seconds", 4);
    static final long SEED = Long.getLong("satchel.fuzz.seed", 20261125);

    static final int[] INTERESTING = {0, 1, 0x7f, 0x80, 0xff, 0x50, 0x4b, '/', '.', '\\', '"', '{', '[', ':', '0', '9'};

    static byte[] mutate(byte[] in, Random r, List<byte[]> corpus) {
        byte[] b = in;
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            if (b.length == 0) {
                b = new byte[] {(byte) r.nextInt(256)};
                continue;
            }
            int at = r.nextInt(b.length);
            switch (r.nextInt(9)) {
                case 0:
                    b = b.clone();
                    b[at] ^= (byte) (1 << r.nextInt(8));
                    break;
                case 1:
                    b = b.clone();
                    b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
                    break;
                case 2: { // u16/u32 boundary values, where header fields live
                    b = b.clone();
                    int w = r.nextBoolean() ? 2 : 4;
                    long v = r.nextBoolean() ? 0xFFFFFFFFL : (r.nextBoolean() ? 0 : r.nextInt(70000));
                    for (int i = 0; i < w && at + i < b.length; i++) {
                        b[at + i] = (byte) (v >>> (8 * i));
                    }
                    break;
                }
                case 3: { // delete a range
                    int len = Math.min(b.length - at, 1 + r.nextInt(64));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                    break;
                }
                case 4: { // insert random bytes
                    int len = 1 + r.nextInt(32);
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at);
                    for (int i = 0; i < len; i++) {
                        c[at + i] = (byte) r.nextInt(256);
                    }
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                    break;
                }
                case 5: { // duplicate a range (repeated records)
                    int len = Math.min(b.length - at, 1 + r.nextInt(256));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                    break;
                }
                case 6:
                    b = Arrays.copyOf(b, at);
                    break;
                case 7: { // splice with another corpus entry
                    byte[] o = corpus.get(r.nextInt(corpus.size()));
                    int from = r.nextInt(Math.max(1, o.length));
                    int len = Math.min(Math.min(o.length - from, b.length - at), 1 + r.nextInt(512));
                    if (len > 0) {
                        b = b.clone();
                        System.arraycopy(o, from, b, at, len);
                    }
                    break;
                }
                default: // copy a range within the input (header confusion)
                    int from = r.nextInt(b.length);
                    int len = Math.min(Math.min(b.length - from, b.length - at), 1 + r.nextInt(64));
                    b = b.clone();
                    System.arraycopy(b, from, b, at, len);
            }
        }
        return b;
    }

    interface Target {
        void run(byte[] input) throws Exception;
    }

    static int fuzz(String name, List<byte[]> corpus, Target target) {
        Random r = new Random(SEED ^ name.hashCode());
        long deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
        int runs = 0;
        while (System.nanoTime() < deadline) {
            byte[] seed = corpus.get(r.nextInt(corpus.size()));
            byte[] input = mutate(seed, r, corpus);
            try {
                target.run(input);
            } catch (Throwable t) {
                fail(name + ": run " + runs + " (seed " + SEED + ") threw " + t + " on " + input.length + " bytes", t);
            }
            runs++;
        }
        System.out.println("fuzz " + name + ": " + runs + " runs in " + SECONDS + " s");
        return runs;
    }

    @Test
    void fuzz_zipReader_onlyRejectsOrAcceptsUnchanged() {
        List<byte[]> corpus = new ArrayList<>();
        Bundles a = new Bundles(KEYS);
        a.payloads.put("model.onnx", Bundles.bytes(3000, 1));
        corpus.add(a.build());
        Bundles b = new Bundles(KEYS).version(7);
        b.payloads.put("tokenizer/vocab.txt", Bundles.bytes(500, 2));
        b.payloads.put("model.onnx", Bundles.bytes(100, 3));
        corpus.add(b.build());
        BundleVerifier verifier = BundleVerifier.create(KEYS.policy());
        fuzz("zip", corpus, input -> {
            try {
                verifier.verify(Channels.newChannel(new ByteArrayInputStream(input)));
            } catch (VerificationException expected) {
                return;
            }
            for (byte[] c : corpus) {
                if (Arrays.equals(c, input)) {
                    return;
                }
            }
            fail("accepted a mutant that differs from every seed");
        });
    }

    @Test
    void fuzz_manifestParser_onlyManifestErrors() {
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(Json.writePretty(BundleTestSupport.manifest(KEYS)).getBytes(StandardCharsets.UTF_8));
        corpus.add(Json.write(BundleTestSupport.manifest(KEYS)).getBytes(StandardCharsets.UTF_8));
        fuzz("manifest", corpus, input -> {
            try {
                Manifest m = ManifestParser.parse(input, 1 << 20);
                if (m.name() == null || m.files().isEmpty() || m.version() < 1) {
                    fail("accepted an incomplete manifest");
                }
            } catch (VerificationException expected) {
                if (expected.code() != RejectionCode.MANIFEST_INVALID && expected.code() != RejectionCode.TOO_LARGE) {
                    fail("unexpected code " + expected.code());
                }
            }
        });
    }

    @Test
    void fuzz_jsonReader_onlyJsonErrorsAndStableRoundTrip() {
        List<byte[]> corpus = new ArrayList<>();
        corpus.add(Json.writePretty(BundleTestSupport.manifest(KEYS)).getBytes(StandardCharsets.UTF_8));
        corpus.add("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\\ud83d\\ude00\"],\"b\":{}}".getBytes(StandardCharsets.UTF_8));
        fuzz("json", corpus, input -> {
            Object v;
            try {
                v = Json.parse(input);
            } catch (JsonException expected) {
                return;
            }
            byte[] again = Json.writeBytes(v);
            assertArrayEquals(again, Json.writeBytes(Json.parse(again)), "write(parse(write(x))) differs");
        });
    }
}
