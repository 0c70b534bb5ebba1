package dev.satchel.packager.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.examples.ExampleModels;
import dev.satchel.testing.RealModels;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The acceptance measurement of issue 3 on all-minilm-l6-v2, with ONNX Runtime Java on one thread:
 * mean-pooled {@code last_hidden_state} cosine to fp32 on a sentence set tokenised with the
 * model's own WordPiece vocabulary, and on 64 random 128-token sequences; and latency at 128 tokens
 * measured interleaved against ONNX Runtime's int8 model.
 *
 * <p>Run as a program by bench/quantize.sh; {@code MiniLmQuantizeIT} asserts the thresholds.
 */
public final class MiniLmBench {
    /** Sixty sentences of varied topic, length and register. */
    static final List<String> SENTENCES = List.of(
            "The cat sat quietly on the warm windowsill.",
            "Interest rates rose for the third time this year.",
            "How do I reset my password if I no longer have access to my email?",
            "The patient was prescribed antibiotics for a bacterial infection.",
            "Photosynthesis converts light energy into chemical energy stored in glucose.",
            "She scored the winning goal in the final minute of extra time.",
            "Please remember to bring your passport to the airport.",
            "The new smartphone has a faster processor and a brighter display.",
            "A light rain fell over the city as the evening traffic built up.",
            "Our quarterly revenue exceeded analysts' expectations by twelve percent.",
            "He apologised for the delay and promised to ship the order tomorrow.",
            "The recipe calls for two cups of flour, one egg and a pinch of salt.",
            "Quantum computers use qubits that can exist in superpositions of states.",
            "The museum's new exhibit features paintings from the Dutch Golden Age.",
            "I can't believe how quickly the summer went by!",
            "The train to Edinburgh was cancelled because of flooding on the line.",
            "Regular exercise reduces the risk of heart disease and improves mood.",
            "The committee will vote on the proposal next Tuesday afternoon.",
            "Children learn languages more easily than most adults do.",
            "The software update fixed a bug that caused the app to crash on startup.",
            "What is the capital city of Australia?",
            "Volcanic eruptions can affect global temperatures for several years.",
            "The detective examined the footprints leading away from the house.",
            "Add the onions to the pan and fry them until golden brown.",
            "Electric cars are becoming cheaper as battery prices fall.",
            "The orchestra performed Beethoven's Ninth Symphony to a standing ovation.",
            "My flight was delayed by three hours, so I missed my connection.",
            "The court ruled that the contract was void and unenforceable.",
            "Bees play a crucial role in pollinating crops and wild plants.",
            "Could you send me the slides from this morning's meeting?",
            "The mountain trail is steep, rocky and poorly marked near the summit.",
            "Inflation erodes the purchasing power of savings over time.",
            "The startup raised forty million dollars in its latest funding round.",
            "A good night's sleep is essential for memory and concentration.",
            "The bridge was closed for repairs after cracks were found in its supports.",
            "Shakespeare wrote thirty-seven plays and more than one hundred fifty sonnets.",
            "The dog barked loudly at the mail carrier every single morning.",
            "Machine learning models can inherit biases from their training data.",
            "Water boils at a lower temperature at high altitude.",
            "The hotel room was clean, spacious and had a lovely view of the sea.",
            "Negotiations between the two countries broke down over fishing rights.",
            "Don't forget to water the tomatoes while I'm away this weekend.",
            "The telescope captured images of a galaxy billions of light years away.",
            "Customer support resolved my billing issue within ten minutes.",
            "The ancient Romans built aqueducts to carry water into their cities.",
            "Stock markets fell sharply after the unexpected election result.",
            "She is learning to play the violin and practises every evening.",
            "The vaccine trial enrolled more than thirty thousand volunteers.",
            "This jacket is waterproof, breathable and surprisingly light.",
            "Heavy snowfall closed schools across the region on Monday.",
            "The algorithm sorts the list in logarithmic time per insertion.",
            "Their wedding took place in a small chapel by the lake.",
            "Is it safe to eat raw cookie dough?",
            "The factory cut its carbon emissions by switching to solar power.",
            "He read the novel in a single sitting and immediately started it again.",
            "The referee showed a red card after a dangerous tackle.",
            "Wildfires forced thousands of residents to evacuate their homes.",
            "The library extended its opening hours during the exam period.",
            "Compound interest makes early saving far more valuable than late saving.",
            "The kitten chased a ball of yarn across the kitchen floor.");

    static final int RANDOM_SEQUENCES = 64;
    /** The --min-cosine used for int4 on MiniLM (token-level cosine on generated inputs). */
    static final double INT4_GATE = 0.977;
    static final int RANDOM_LENGTH = 128;

    private MiniLmBench() {}

    static WordPiece tokenizer() throws IOException {
        return WordPiece.load(ExampleModels.defaultCache().resolveCompanion(ExampleModel.MINILM, "all-minilm-l6-v2-tokenizer.json"));
    }

    static List<long[]> sentenceIds() throws IOException {
        WordPiece wp = tokenizer();
        List<long[]> out = new ArrayList<>();
        for (String s : SENTENCES) {
            out.add(wp.encode(s));
        }
        return out;
    }

    /** SplittableRandom(42).nextInt(1000, 30522) between [CLS] and [SEP], as the issue specifies. */
    static List<long[]> randomIds() {
        SplittableRandom r = new SplittableRandom(42);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < RANDOM_SEQUENCES; i++) {
            long[] ids = new long[RANDOM_LENGTH];
            ids[0] = WordPiece.CLS;
            for (int j = 1; j < RANDOM_LENGTH - 1; j++) {
                ids[j] = r.nextInt(1000, 30522);
            }
            ids[RANDOM_LENGTH - 1] = WordPiece.SEP;
            out.add(ids);
        }
        return out;
    }

    static OrtSession session(Path model) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        return OrtEnvironment.getEnvironment().createSession(model.toString(), o);
    }

    /** Mean-pooled last_hidden_state (all tokens attended). */
    static float[] embed(OrtSession s, long[] ids) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {1, ids.length};
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        long[] types = new long[ids.length];
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
                OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", t))) {
            float[][][] h = (float[][][]) r.get(0).getValue();
            int d = h[0][0].length;
            float[] mean = new float[d];
            for (float[] tok : h[0]) {
                for (int i = 0; i < d; i++) {
                    mean[i] += tok[i];
                }
            }
            for (int i = 0; i < d; i++) {
                mean[i] /= h[0].length;
            }
            return mean;
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Mean and minimum cosine of {@code candidate} to {@code reference} over {@code inputs}. */
    record Agreement(double mean, double min) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "mean %.6f (min %.6f)", mean, min);
        }
    }

    static Agreement agreement(OrtSession reference, OrtSession candidate, List<long[]> inputs) throws OrtException {
        double sum = 0;
        double min = 1;
        for (long[] ids : inputs) {
            double c = cosine(embed(reference, ids), embed(candidate, ids));
            sum += c;
            min = Math.min(min, c);
        }
        return new Agreement(sum / inputs.size(), min);
    }

    /**
     * Median single-thread latency at 128 tokens of each model, interleaved: one run of each per round
     * so that load from other processes hits both alike. Returns nanoseconds, in argument order.
     */
    static long[] latency(List<OrtSession> sessions, int rounds) throws OrtException {
        long[] ids = randomIds().get(0);
        for (OrtSession s : sessions) {
            for (int i = 0; i < 3; i++) {
                embed(s, ids);
            }
        }
        long[][] t = new long[sessions.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < sessions.size(); i++) {
                long t0 = System.nanoTime();
                embed(sessions.get(i), ids);
                t[i][r] = System.nanoTime() - t0;
            }
        }
        long[] med = new long[sessions.size()];
        for (int i = 0; i < med.length; i++) {
            Arrays.sort(t[i]);
            med[i] = t[i][rounds / 2];
        }
        return med;
    }

    /** Measurements of one quantized file. */
    record Figures(String mode, long bytes, Agreement sentences, Agreement random, double latencyRatio) {}

    static Figures measure(String mode, Path fp32, Path quantized, boolean withLatency, int rounds) throws Exception {
        try (OrtSession ref = session(fp32); OrtSession q = session(quantized)) {
            Agreement sent = agreement(ref, q, sentenceIds());
            Agreement rnd = agreement(ref, q, randomIds());
            double ratio = Double.NaN;
            if (withLatency) {
                try (OrtSession ort = session(RealModels.path(ExampleModel.MINILM_Q))) {
                    long[] med = latency(List.of(q, ort), rounds);
                    ratio = (double) med[0] / med[1];
                }
            }
            return new Figures(mode, Files.size(quantized), sent, rnd, ratio);
        }
    }

    public static void main(String[] args) throws Exception {
        Path fp32 = RealModels.path(ExampleModel.MINILM);
        if (args.length == 0) {
            Path ort = RealModels.path(ExampleModel.MINILM_Q);
            System.out.println("onnxruntime int8: " + fmt(measure("ort-int8", fp32, ort, false, 0)));
            return;
        }
        for (String a : args) {
            String[] kv = a.split("=", 2);
            boolean lat = kv[0].startsWith("int8");
            System.out.println(kv[0] + ": " + fmt(measure(kv[0], fp32, Path.of(kv[1]), lat, 101)));
        }
    }

    static String fmt(Figures f) {
        return String.format(Locale.ROOT, "%.2f MB (%d bytes), sentences %s, random %s, latency %.3fx ORT int8",
                f.bytes() / 1e6, f.bytes(), f.sentences(), f.random(), f.latencyRatio());
    }
}
