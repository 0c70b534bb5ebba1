package dev.satchel.packager.quantize;

import dev.satchel.model.ModelReader;
import dev.satchel.model.ModelWriter;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.WriteOptions;
import dev.satchel.model.onnx.Onnx;
import dev.satchel.packager.quantize.internal.OrtEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Quantizes a model file, optionally measures it against the original in ONNX Runtime, enforces a
 * cosine gate with automatic mixed precision, and writes the result atomically.
 *
 * <p>Mixed precision: when the quantized model misses the gate, every quantized layer's
 * sensitivity is measured by moving that layer alone one step up the precision ladder
 * (int8 per-tensor activations, then int8 per-block activations, then float; 4-bit, then int8,
 * then float) and re-measuring. Layers are then promoted in order of measured gain until the gate
 * passes. The report lists what was kept and what it cost in bytes.
 *
 * <p>Stateless; each call is independent.
 */
public final class QuantizeSession {
    private QuantizeSession() {}

    /**
     * One quantization job.
     *
     * @param source the float model
     * @param output where to write the quantized model
     * @param options what to quantize
     * @param eval the evaluation inputs: generated from the signature, or user-supplied samples
     *     ({@link EvalSpec#withInputs}); int8-static also calibrates on them when
     *     {@code calibration} is null
     * @param evaluate whether to run the models in ONNX Runtime at all
     * @param minCosine the gate (lowest acceptable mean cosine of any output), NaN for none
     * @param calibration int8-static: a folder of calibration samples (same format as evaluation
     *     inputs), or null to calibrate on the evaluation inputs
     * @param calibrationMethod int8-static: how activation ranges are taken from the samples
     */
    public record Request(Path source, Path output, QuantizeOptions options, EvalSpec eval, boolean evaluate, double minCosine,
            Path calibration, CalibrationMethod calibrationMethod) {
        /** A request without calibration data (int8-static then calibrates on generated inputs, with a warning). */
        public Request(Path source, Path output, QuantizeOptions options, EvalSpec eval, boolean evaluate, double minCosine) {
            this(source, output, options, eval, evaluate, minCosine, null, CalibrationMethod.MINMAX);
        }

        public Request {
            calibrationMethod = calibrationMethod == null ? CalibrationMethod.MINMAX : calibrationMethod;
            if (!Double.isNaN(minCosine) && (minCosine < -1 || minCosine > 1)) {
                throw new IllegalArgumentException("min cosine must be in [-1, 1], got " + minCosine);
            }
            if (!Double.isNaN(minCosine) && !evaluate) {
                throw new IllegalArgumentException("a gate needs evaluation");
            }
        }
    }

    /**
     * Runs the job. The output is written only when there is no gate or the gate passes.
     *
     * @throws QuantizeException ALREADY_QUANTIZED, UNSUPPORTED, BAD_INPUTS, RUNTIME_FAILED, and
     *     GATE_FAILED (carrying the report of the best attempt via {@link GateFailedException})
     */
    public static QuantizeReport run(Request req, QuantizeListener listener) throws IOException {
        return run(req, ModelReader.read(req.source()), listener);
    }

    /**
     * As {@link #run(Request, QuantizeListener)}, with {@code model} already read from
     * {@code req.source()} (a caller that read it ahead, on another thread).
     */
    public static QuantizeReport run(Request req, OnnxModel model, QuantizeListener listener) throws IOException {
        long sourceBytes = modelBytes(model);
        WriteOptions write = hasExternal(model.proto()) ? WriteOptions.externalAbove(WriteOptions.DEFAULT_THRESHOLD)
                : WriteOptions.allInline();
        List<String> warnings = new ArrayList<>();
        Requantizer rq = o -> Quantizer.quantize(model, o);
        if (req.options().mode() == QuantizeMode.INT8_STATIC) {
            Map<String, float[]> ranges = calibrate(model, req, warnings, listener);
            rq = o -> Quantizer.quantizeStatic(model, o, ranges);
        }
        listener.progress("quantizing", 0, 1);
        Quantizer.Result base = rq.apply(req.options());
        listener.progress("quantizing", 1, 1);
        if (base.decisions().stream().noneMatch(d -> d.precision() != Precision.FLOAT)) {
            String why = base.decisions().isEmpty() ? "it has no weights this mode converts"
                    : "every candidate was left in float: " + base.decisions().stream().map(LayerDecision::reason).distinct()
                            .limit(3).collect(java.util.stream.Collectors.joining("; "));
            throw new QuantizeException(QuantizeException.Code.UNSUPPORTED, "nothing to quantize in " + req.source().getFileName()
                    + " with mode " + req.options().mode() + ": " + why
                    + (req.options().mode() == QuantizeMode.FP16 ? " (fp16 converts the main graph only; control-flow subgraphs stay float32)"
                    : req.options().mode() == QuantizeMode.INT8_STATIC ? " (int8-static quantizes the main graph only; "
                            + "control-flow subgraphs stay float32: use --mode int8)" : ""));
        }
        if (!req.evaluate()) {
            ModelWriter.Result w = ModelWriter.write(base.model(), req.output(), write);
            return new QuantizeReport(req.options().mode(), sourceBytes, w.modelBytes() + w.dataBytes(), base.decisions(),
                    List.of(), Double.NaN, List.of(), 0, warnings);
        }
        Path tmp = Files.createTempDirectory("satchel-quantize");
        try (OrtEvaluator eval = new OrtEvaluator(req.source(), model.proto().getGraph(), req.eval())) {
            QuantizeReport.Evaluation inputs = new QuantizeReport.Evaluation(req.eval().userSupplied(), eval.samples(),
                    req.eval().userSupplied() ? 0 : req.eval().seed());
            if (!req.eval().userSupplied()) {
                warnings.add("evaluation inputs were generated from the input signature (" + req.eval().samples()
                        + " samples, seed " + req.eval().seed() + "); pass real inputs (--eval-inputs) for a sharper measurement");
            }
            warnings.addAll(eval.warnings());
            listener.progress("measuring", 0, 1);
            Attempt best = attempt(rq, req.options(), base, eval, tmp, write);
            listener.progress("measuring", 1, 1);
            Map<String, Precision> promoted = new TreeMap<>();
            Map<String, Double> gains = new TreeMap<>();
            if (!Double.isNaN(req.minCosine()) && best.score < req.minCosine()) {
                best = mixedPrecision(rq, req, best, eval, tmp, write, promoted, gains, listener);
            }
            List<LayerDecision> kept = new ArrayList<>();
            long keptBytes = 0;
            Map<String, LayerDecision> baseByNode = new LinkedHashMap<>();
            base.decisions().forEach(d -> baseByNode.put(d.node(), d));
            for (LayerDecision d : best.result.decisions()) {
                if (promoted.containsKey(d.node())) {
                    kept.add(d);
                    LayerDecision was = baseByNode.get(d.node());
                    keptBytes += d.storedBytes() - (was == null ? d.floatBytes() : was.storedBytes());
                }
            }
            gains.keySet().retainAll(promoted.keySet());
            QuantizeReport partial = new QuantizeReport(req.options().mode(), sourceBytes, 0, best.result.decisions(),
                    best.quality, req.minCosine(), kept, keptBytes, warnings, inputs, gains);
            if (!Double.isNaN(req.minCosine()) && best.score < req.minCosine()) {
                throw new GateFailedException(partial);
            }
            if (!promoted.isEmpty() && best.result.decisions().stream().allMatch(d -> d.precision() == Precision.FLOAT)) {
                // The gate passed only because nothing is quantized any more: writing the original
                // model back and calling it a pass would hide that quantization failed.
                throw new GateFailedException(partial, "the quality gate (min cosine " + plain(req.minCosine())
                        + ") is met only with every layer kept in float32, so nothing would be quantized; evaluate on real "
                        + "inputs, lower the gate, or quantize without it", true);
            }
            ModelWriter.Result w = ModelWriter.write(best.result.model(), req.output(), write);
            return new QuantizeReport(req.options().mode(), sourceBytes, w.modelBytes() + w.dataBytes(),
                    best.result.decisions(), best.quality, req.minCosine(), kept, keptBytes, warnings, inputs, gains);
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A threshold as given (0.999995, not 1.0000). */
    static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /** The gate failed even with every layer moved up; carries the report of the best attempt. */
    public static final class GateFailedException extends QuantizeException {
        private static final long serialVersionUID = 1L;
        private final transient QuantizeReport report;

        private final boolean floatOnly;

        GateFailedException(QuantizeReport report) {
            this(report, "the quality gate (min cosine " + plain(report.minCosine()) + ") was not met: best reached "
                    + String.format(java.util.Locale.ROOT, "%.6f", report.worstCosine()) + " with " + report.kept().size()
                    + " layers kept in higher precision", false);
        }

        GateFailedException(QuantizeReport report, String message, boolean floatOnly) {
            super(Code.GATE_FAILED, message);
            this.report = report;
            this.floatOnly = floatOnly;
        }

        /** Whether the gate was met, but only with every layer back in float32 (nothing quantized). */
        public boolean floatOnly() {
            return floatOnly;
        }

        public QuantizeReport report() {
            return report;
        }
    }

    private record Attempt(Quantizer.Result result, List<OutputQuality> quality, double score) {}

    /** Re-runs the rewrite with other options (the calibrated ranges stay fixed for int8-static). */
    @FunctionalInterface
    private interface Requantizer {
        Quantizer.Result apply(QuantizeOptions o) throws IOException;
    }

    private static Map<String, float[]> calibrate(OnnxModel model, Request req, List<String> warnings, QuantizeListener listener)
            throws IOException {
        listener.progress("calibrating", 0, 1);
        java.util.Set<String> acts = Quantizer.staticActivations(model, req.options());
        if (acts.isEmpty()) {
            return Map.of();
        }
        Onnx.GraphProto.Builder g = model.proto().getGraph().toBuilder();
        java.util.Set<String> outs = new java.util.HashSet<>();
        g.getOutputList().forEach(o -> outs.add(o.getName()));
        for (String a : acts) {
            if (outs.add(a)) {
                g.addOutput(Onnx.ValueInfoProto.newBuilder().setName(a).setType(Onnx.TypeProto.newBuilder()
                        .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1))));
            }
        }
        Path tmp = Files.createTempDirectory("satchel-calibrate");
        List<ai.onnxruntime.OnnxTensor> owned = new ArrayList<>();
        try (OrtEvaluator eval = new OrtEvaluator(req.source(), model.proto().getGraph(), req.eval())) {
            Path calib = tmp.resolve("calibration.onnx");
            ModelWriter.write(model.withProto(model.proto().toBuilder().setGraph(g).build()), calib, WriteOptions.allInline());
            List<Map<String, ai.onnxruntime.OnnxTensor>> samples = null;
            if (req.calibration() != null) {
                samples = eval.readSamples(req.calibration(), "calibration data");
                samples.forEach(m -> owned.addAll(m.values()));
            } else if (!req.eval().userSupplied()) {
                warnings.add("int8-static was calibrated on " + req.eval().samples()
                        + " generated inputs; pass --calibration DIR with real samples for usable activation ranges");
            }
            Map<String, float[]> ranges = eval.calibrate(calib, acts, samples, req.calibrationMethod());
            listener.progress("calibrating", 1, 1);
            return ranges;
        } finally {
            owned.forEach(ai.onnxruntime.OnnxTensor::close);
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Attempt attempt(Requantizer rq, QuantizeOptions opts, Quantizer.Result r, OrtEvaluator eval, Path tmp,
            WriteOptions write) throws IOException {
        return measure(rq, opts, r, eval, tmp.resolve("candidate.onnx"), write);
    }

    /** Quantizes with {@code opts} (unless {@code r} is given), writes the candidate to {@code file} and measures it. */
    private static Attempt measure(Requantizer rq, QuantizeOptions opts, Quantizer.Result r, OrtEvaluator eval, Path file,
            WriteOptions write) throws IOException {
        Quantizer.Result res = r != null ? r : rq.apply(opts);
        ModelWriter.write(res.model(), file, write);
        List<OutputQuality> q = eval.compare(file);
        // NaN (a NaN or infinite output) counts as the worst score, never as a pass.
        double score = q.stream().mapToDouble(o -> Double.isNaN(o.meanCosine()) ? -1 : o.meanCosine()).min().orElse(1);
        return new Attempt(res, q, score);
    }

    /** The next step up the ladder for a layer, or null when it is already at float. */
    static Precision next(QuantizeMode mode, LayerDecision d) {
        boolean linear = d.op().equals("MatMul") || d.op().equals("Gemm");
        switch (d.precision()) {
            case QUANTIZED:
                if (linear && (mode == QuantizeMode.INT8 || mode == QuantizeMode.INT4)) {
                    return Precision.BLOCKED_INT8;
                }
                if (d.op().equals("Gather") && mode == QuantizeMode.INT4) {
                    return Precision.BLOCKED_INT8;
                }
                return Precision.FLOAT;
            case BLOCKED_INT8:
            case WEIGHT_ONLY:
                return Precision.FLOAT;
            default:
                return null;
        }
    }

    private static Attempt mixedPrecision(Requantizer rq, Request req, Attempt start, OrtEvaluator eval, Path tmp,
            WriteOptions write, Map<String, Precision> promoted, Map<String, Double> measuredGains, QuantizeListener listener)
            throws IOException {
        Attempt best = start;
        QuantizeMode mode = req.options().mode();
        // Two rounds: a layer can climb from its quantized form to the middle rung and then to float.
        for (int round = 0; round < 2 && best.score < req.minCosine(); round++) {
            List<LayerDecision> candidates = new ArrayList<>();
            for (LayerDecision d : best.result.decisions()) {
                if (next(mode, d) != null) {
                    candidates.add(d);
                }
            }
            if (candidates.isEmpty()) {
                break;
            }
            List<Map.Entry<LayerDecision, Double>> gains = new ArrayList<>();
            long baseBytes = storedBytes(best.result);
            List<QuantizeOptions> trials = new ArrayList<>();
            for (LayerDecision c : candidates) {
                Map<String, Precision> p = new TreeMap<>(promoted);
                p.put(c.node(), next(mode, c));
                trials.add(req.options().withPrecisions(p));
            }
            List<Score> scores = measureAll(rq, trials, eval, tmp, write, "measuring layer sensitivity", listener);
            for (int i = 0; i < candidates.size(); i++) {
                LayerDecision c = candidates.get(i);
                double gain = scores.get(i).score - best.score;
                // What this layer alone was worth (summed over both rounds: a layer can climb twice).
                measuredGains.merge(c.node(), gain, Double::sum);
                long extra = Math.max(1024, scores.get(i).storedBytes - baseBytes);
                // int4 is judged by size, so rank by gain per byte; int8 and fp16 keep the file size
                // about equal whichever layers move up, so rank by gain and promote as few layers as
                // possible (each int8 layer moved to per-block activations costs run time).
                gains.add(Map.entry(c, mode == QuantizeMode.INT4 ? gain / extra : gain));
            }
            gains.sort(Comparator.<Map.Entry<LayerDecision, Double>>comparingDouble(Map.Entry::getValue).reversed()
                    .thenComparing(e -> e.getKey().node()));
            // Promote one layer at a time, in rank order, until the gate holds. Layers without a
            // measurable gain alone are still promoted, last: errors of many small layers add up,
            // and the gate must pass or run out of layers to keep. The next few prefixes are
            // measured at once, one per core; the first that passes is taken, so the result is the
            // one a layer-by-layer search finds.
            List<Map<String, Precision>> prefixes = new ArrayList<>();
            Map<String, Precision> acc = new TreeMap<>(promoted);
            for (Map.Entry<LayerDecision, Double> g : gains) {
                acc.put(g.getKey().node(), next(mode, g.getKey()));
                prefixes.add(new TreeMap<>(acc));
            }
            for (int from = 0; from < prefixes.size(); from += PARALLEL_ATTEMPTS) {
                int base = from;
                int to = Math.min(prefixes.size(), from + PARALLEL_ATTEMPTS);
                listener.progress("keeping layers in higher precision", from, prefixes.size());
                List<Attempt> batch = parallel(to - from, k -> measure(rq, req.options().withPrecisions(prefixes.get(base + k)),
                        null, eval, tmp.resolve("prefix-" + k + ".onnx"), write));
                for (int k = 0; k < batch.size(); k++) {
                    best = batch.get(k);
                    if (best.score >= req.minCosine()) {
                        promoted.clear();
                        promoted.putAll(prefixes.get(from + k));
                        listener.progress("keeping layers in higher precision", from + k + 1, prefixes.size());
                        return best;
                    }
                }
            }
            promoted.clear();
            promoted.putAll(prefixes.get(prefixes.size() - 1));
            listener.progress("keeping layers in higher precision", prefixes.size(), prefixes.size());
        }
        return best;
    }

    /**
     * Candidates measured at once: one per core (each quantizes, writes its own file and runs its
     * own single-threaded ONNX Runtime session; the evaluation inputs are shared, read-only).
     */
    private static final int PARALLEL_ATTEMPTS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** A measured candidate without its model (the search keeps dozens; each model holds its weights). */
    private record Score(double score, long storedBytes) {}

    private static List<Score> measureAll(Requantizer rq, List<QuantizeOptions> trials, OrtEvaluator eval, Path tmp,
            WriteOptions write, String step, QuantizeListener listener) throws IOException {
        List<Score> out = new ArrayList<>();
        for (int from = 0; from < trials.size(); from += PARALLEL_ATTEMPTS) {
            listener.progress(step, from, trials.size());
            int base = from;
            int to = Math.min(trials.size(), from + PARALLEL_ATTEMPTS);
            for (Attempt a : parallel(to - base, k -> measure(rq, trials.get(base + k), null, eval,
                    tmp.resolve("candidate-" + k + ".onnx"), write))) {
                out.add(new Score(a.score, storedBytes(a.result)));
            }
        }
        listener.progress(step, trials.size(), trials.size());
        return out;
    }

    @FunctionalInterface
    private interface Measure {
        Attempt run(int k) throws IOException;
    }

    /** Runs {@code n} measurements, one thread each, and returns them in order; rethrows the first failure. */
    private static List<Attempt> parallel(int n, Measure m) throws IOException {
        if (n == 1) {
            return List.of(m.run(0));
        }
        List<java.util.concurrent.FutureTask<Attempt>> tasks = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int index = k;
            java.util.concurrent.FutureTask<Attempt> t = new java.util.concurrent.FutureTask<>(() -> m.run(index));
            tasks.add(t);
            if (k > 0) {
                Thread th = new Thread(t, "satchel-measure-" + k);
                th.setDaemon(true);
                th.start();
            }
        }
        tasks.get(0).run(); // the caller measures the first one itself
        List<Attempt> out = new ArrayList<>();
        for (java.util.concurrent.FutureTask<Attempt> t : tasks) {
            try {
                out.add(t.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while measuring candidates");
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof IOException io) {
                    throw io;
                }
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
        return out;
    }

    private static long storedBytes(Quantizer.Result r) {
        return r.decisions().stream().mapToLong(LayerDecision::storedBytes).sum();
    }

    private static boolean hasExternal(Onnx.ModelProto m) {
        boolean[] ext = {false};
        dev.satchel.model.internal.Tensors.forEach(m, t -> ext[0] |= t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL);
        return ext[0];
    }

    private static long modelBytes(OnnxModel m) throws IOException {
        long n = m.file() != null ? Files.size(m.file()) : 0;
        java.util.Set<String> seen = new java.util.TreeSet<>();
        dev.satchel.model.internal.Tensors.forEach(m.proto(), t -> {
            if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
                for (Onnx.StringStringEntryProto e : t.getExternalDataList()) {
                    if (e.getKey().equals("location")) {
                        seen.add(e.getValue());
                    }
                }
            }
        });
        for (String loc : seen) {
            Path p = m.baseDir().resolve(loc);
            if (Files.isRegularFile(p)) {
                n += Files.size(p);
            }
        }
        return n;
    }
}
