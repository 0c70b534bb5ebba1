package dev.satchel.cli;

import dev.satchel.model.OnnxModel;
import dev.satchel.packager.quantize.EvalSpec;
import dev.satchel.packager.quantize.Int8Format;
import dev.satchel.packager.quantize.LayerDecision;
import dev.satchel.packager.quantize.OutputQuality;
import dev.satchel.packager.quantize.Precision;
import dev.satchel.packager.quantize.QuantizeException;
import dev.satchel.packager.quantize.QuantizeListener;
import dev.satchel.packager.quantize.QuantizeMode;
import dev.satchel.packager.quantize.QuantizeOptions;
import dev.satchel.packager.quantize.QuantizeReport;
import dev.satchel.packager.quantize.QuantizeSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code satchel quantize}: int8 / int4 / fp16 quantization with an ONNX Runtime accuracy gate and
 * automatic mixed precision (docs/quantize.md). The library work is in
 * {@code dev.satchel.packager.quantize}; this class parses flags, draws progress and prints.
 */
@Command(name = "quantize",
        header = "Quantize a model to int8, int4, fp16 or int8-static QDQ.",
        description = {
            "Quantize a float32 ONNX model. int8 (default): dynamic int8 MatMul/Gemm with",
            "per-channel weights, int8 embedding tables, int8 Conv weights. int4: 4-bit",
            "MatMul weights (MatMulNBits) and 4-bit embedding tables. fp16: float16",
            "weights and compute, float32 graph inputs/outputs.",
            "After quantizing, the original and the quantized model run in ONNX Runtime",
            "on your samples (--eval-inputs) or on inputs generated from the signature",
            "(symbolic dimensions not bound with --dim: 1 for a batch, 128 otherwise),",
            "and the agreement of every output is reported. --min-cosine makes it a",
            "gate: the layers that hurt most are kept in higher precision until it passes.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel quantize model.onnx -o model-int8.onnx",
            "  satchel quantize example:minilm -o minilm-int8.onnx --min-cosine 0.99 \\",
            "      --dim batch_size=1 --dim sequence_length=128 --report minilm-int8.json",
            "  satchel quantize model.onnx -o model-int8.onnx --eval-inputs samples/",
            "  satchel quantize model.onnx -o model-int4.onnx --mode int4 --no-eval",
            "  satchel quantize model.onnx -o model-qdq.onnx --mode int8-static \\",
            "      --calibration samples/ --calibration-method PERCENTILE",
        })
final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Float32 model (.onnx), or example:minilm.")
    String model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Quantized model to write.")
    Path output;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "int8",
            description = "int8, int4, fp16 or int8-static (QDQ, calibrated) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--exclude-op", paramLabel = "OP", split = ",", description = "Operator types to leave in float (repeatable).")
    List<String> excludeOps = new ArrayList<>();

    @Option(names = "--exclude-node", paramLabel = "NAME", split = ",", description = "Node names to leave in float (repeatable).")
    List<String> excludeNodes = new ArrayList<>();

    @Option(names = "--min-weight-size", paramLabel = "N", defaultValue = "1024",
            description = "Leave weights with fewer elements in float (default: ${DEFAULT-VALUE}).")
    long minWeightSize;

    @Option(names = "--per-tensor", description = "One int8 scale per weight tensor instead of per output channel.")
    boolean perTensor;

    @Option(names = "--per-channel", description = "One int8 scale per output channel (the default).")
    boolean perChannel;

    @Option(names = "--int8-format", paramLabel = "FORMAT", defaultValue = "PER_TENSOR",
            description = "int8 MatMul format: PER_TENSOR (DynamicQuantizeMatMul) or BLOCKED "
                    + "(MatMulNBits bits=8, per-block activations) (default: ${DEFAULT-VALUE}).")
    Int8Format int8Format;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "32", description = "int4 block size: 16, 32, 64 or 128 (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--zero-points", description = "int4 with a zero point per block (default: symmetric, no zero points).")
    boolean zeroPoints;

    @Option(names = "--signed-weights",
            description = "int8-static with symmetric int8 weights (default: uint8 with a zero point per channel, the type QNN's HTP NPU takes).")
    boolean signedWeights;

    @Option(names = "--force", description = "Quantize even if the model is already quantized.")
    boolean force;

    @Option(names = "--min-cosine", paramLabel = "X",
            description = "Gate: every output's mean cosine to the original must reach X; the layers that hurt most are kept in "
                    + "higher precision until it does (default: 0.99 for int8, 0.98 for int4, 0.995 for fp16).")
    Double minCosine;

    @Option(names = "--no-gate", description = "Measure and report quality, but do not enforce a minimum.")
    boolean noGate;

    @Option(names = "--no-eval", description = "Do not run the models in ONNX Runtime (no quality figures, no gate).")
    boolean noEval;

    @Option(names = "--eval-inputs", paramLabel = "DIR",
            description = "Evaluate on these samples instead of generated inputs: a folder with one sub-folder per sample "
                    + "holding <input>.npy or <input>.pb files, one per model input.")
    Path evalInputs;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "8",
            description = "Generated evaluation samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--input-range", paramLabel = "NAME=LO:HI",
            description = "Inclusive value range for an integer input (repeatable); default: valid row ids for inputs that index an "
                    + "embedding table, 1 for inputs named *mask*, else 0.")
    List<String> inputRanges = new ArrayList<>();

    @Option(names = "--calibration", paramLabel = "DIR",
            description = "int8-static: a folder with one sub-folder per sample holding <input>.npy or <input>.pb files "
                    + "(default: generated inputs, with a warning).")
    Path calibration;

    @Option(names = "--calibration-method", paramLabel = "METHOD", defaultValue = "MINMAX",
            description = "int8-static activation ranges: MINMAX or PERCENTILE (0.01%%/99.99%%, averaged over samples) "
                    + "(default: ${DEFAULT-VALUE}).")
    dev.satchel.packager.quantize.CalibrationMethod calibrationMethod;

    @Option(names = "--report", paramLabel = "JSON", description = "Write the quantization report (JSON) here.")
    Path report;

    @Mixin
    DimOptions dims;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (perTensor && perChannel) {
            throw new CliException(ExitCode.USAGE, "--per-tensor and --per-channel cannot both be given");
        }
        if (calibration != null && !"int8-static".equals(mode)) {
            throw new CliException(ExitCode.USAGE, "--calibration applies to --mode int8-static only");
        }
        if (noEval && minCosine != null) {
            throw new CliException(ExitCode.USAGE, "--min-cosine needs evaluation; drop --no-eval");
        }
        if (evalInputs != null) {
            if (noEval) {
                throw new CliException(ExitCode.USAGE, "--eval-inputs needs evaluation; drop --no-eval");
            }
            for (String generatedOnly : List.of("--samples", "--input-range")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(generatedOnly)) {
                    throw new CliException(ExitCode.USAGE, generatedOnly + " applies to generated inputs; --eval-inputs uses "
                            + "every sample folder as it is");
                }
            }
        }
        if (noGate && minCosine != null) {
            throw new CliException(ExitCode.USAGE, "--min-cosine and --no-gate cannot both be given");
        }
        QuantizeMode m;
        try {
            m = QuantizeMode.of(mode);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "--mode: " + e.getMessage());
        }
        QuantizeOptions opts;
        EvalSpec eval;
        try {
            opts = QuantizeOptions.of(m).withExcludeOps(new LinkedHashSet<>(excludeOps))
                    .withExcludeNodes(new LinkedHashSet<>(excludeNodes)).withMinWeightElements(minWeightSize)
                    .withPerChannel(!perTensor).withForce(force).withBlockSize(blockSize).withSymmetric(!zeroPoints)
                    .withInt8Format(int8Format).withSignedStaticWeights(signedWeights);
            eval = EvalSpec.defaults().withDims(dims.bindings()).withSamples(samples).withIntRanges(ranges())
                    .withInputs(evalInputs);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        Path source = ModelPaths.resolve(model);
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress();
        QuantizeReport r;
        try {
            double gate = noEval || noGate ? Double.NaN : minCosine != null ? minCosine : defaultGate(m);
            QuantizeSession.Request req = new QuantizeSession.Request(source, output, opts, eval, !noEval, gate, calibration,
                    calibrationMethod);
            OnnxModel readAhead = QuantizePrefetch.take(source);
            r = readAhead != null ? QuantizeSession.run(req, readAhead, progress) : QuantizeSession.run(req, progress);
        } catch (QuantizeSession.GateFailedException e) {
            progress.clear();
            writeReport(e.report());
            print(out, e.report(), false);
            throw new CliException(ExitCode.CHECK_FAILED, e.getMessage() + (e.floatOnly()
                    ? " (--eval-inputs DIR, --min-cosine X, --no-gate)" : "") + "; nothing was written to " + output, e);
        } catch (QuantizeException e) {
            progress.clear();
            throw new CliException(exit(e.code()), e.getMessage(), e);
        }
        progress.clear();
        writeReport(r);
        print(out, r, true);
        return ExitCode.OK.code();
    }

    /** Defaults measured on the real test models (docs/quantize.md): strict enough to catch a broken layer. */
    static double defaultGate(QuantizeMode m) {
        switch (m) {
            case INT4:
                return 0.98;
            case FP16:
                return 0.995;
            default:
                return 0.99;
        }
    }

    private static ExitCode exit(QuantizeException.Code c) {
        switch (c) {
            case ALREADY_QUANTIZED:
            case UNSUPPORTED:
            case BAD_INPUTS:
                // A sample file that does not fit the model is invalid input, as in satchel build.
                return ExitCode.INPUT_INVALID;
            case GATE_FAILED:
                return ExitCode.CHECK_FAILED;
            default:
                return ExitCode.IO_ERROR;
        }
    }

    private Map<String, long[]> ranges() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (String s : inputRanges) {
            int eq = s.lastIndexOf('=');
            int colon = s.lastIndexOf(':');
            if (eq <= 0 || colon < eq) {
                throw new CliException(ExitCode.USAGE, "--input-range '" + s + "': expected NAME=LO:HI, e.g. input_ids=0:30521");
            }
            try {
                m.put(s.substring(0, eq), new long[] {Long.parseLong(s.substring(eq + 1, colon).trim()),
                        Long.parseLong(s.substring(colon + 1).trim())});
            } catch (NumberFormatException e) {
                throw new CliException(ExitCode.USAGE, "--input-range '" + s + "': LO and HI must be whole numbers");
            }
        }
        return m;
    }

    private void writeReport(QuantizeReport r) throws IOException {
        if (report == null) {
            return;
        }
        Path target = report.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, r.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Text summary; Locale.US for the reason given in {@link Sizes}. */
    private void print(PrintWriter out, QuantizeReport r, boolean written) {
        if (format.format() == OutputFormat.json) {
            out.print(r.toJson());
            out.flush();
            return;
        }
        if (written) {
            out.printf(Locale.US, "%s: %s -> %s (%s), %d layers quantized, %d left in float%n", r.mode(), Sizes.bytes(r.sourceBytes()),
                    Sizes.bytes(r.outputBytes()), output, r.quantizedLayers(), r.decisions().size() - r.quantizedLayers());
        }
        if (r.evaluation() != null) {
            out.printf(Locale.US, "  evaluated on %d %s%n", r.evaluation().samples(), r.evaluation().userSupplied()
                    ? "user-supplied samples from " + evalInputs : "generated input sets (seed " + r.evaluation().seed() + ")");
        }
        for (OutputQuality q : r.quality()) {
            out.printf(Locale.US, "  %s: cosine %.5f (min %.5f), SQNR %.1f dB, max abs error %.4g%s%n", q.name(), q.meanCosine(),
                    q.minCosine(), q.sqnrDb(), q.maxAbsError(),
                    Double.isNaN(q.top1Agreement()) ? "" : String.format(Locale.US, ", top-1 agreement %.1f%%", 100 * q.top1Agreement()));
        }
        if (!Double.isNaN(r.minCosine())) {
            boolean allFloat = !r.kept().isEmpty() && r.quantizedLayers() == 0;
            out.printf(Locale.US, "  gate min cosine %.4f: %s%n", r.minCosine(), r.gatePassed() ? "passed"
                    : allFloat ? "FAILED: met only with every layer in float32 (nothing quantized)" : "FAILED");
            if (!r.kept().isEmpty()) {
                out.printf(Locale.US, "  kept in higher precision (%s extra):%n", Sizes.bytes(r.keptBytes()));
                for (LayerDecision d : r.kept()) {
                    out.printf(Locale.US, "    %s (%s) as %s%n", d.node(), d.op(), d.precision().id());
                }
            }
        }
        for (LayerDecision d : r.decisions()) {
            boolean verboseLine = d.precision() == Precision.FLOAT && !d.reason().isEmpty();
            if (verboseLine && spec.parent() != null) {
                SatchelCommand root = (SatchelCommand) spec.root().userObject();
                if (root.global != null && root.global.verbose()) {
                    out.printf(Locale.US, "  kept %s (%s): %s%n", d.node(), d.op(), d.reason());
                }
            }
        }
        for (String w : r.warnings()) {
            spec.commandLine().getErr().println("warning: " + w);
        }
        out.flush();
    }

    /** Draws one progress line on stderr, only when stderr is a terminal. */
    private final class Progress implements QuantizeListener {
        private final boolean tty = System.console() != null && !System.getenv().containsKey("SATCHEL_NO_PROGRESS");
        private boolean drawn;

        @Override
        public void progress(String step, int done, int total) {
            if (!tty) {
                return;
            }
            PrintWriter err = spec.commandLine().getErr();
            String line = total > 1 ? String.format(Locale.US, "%s %d/%d", step, done, total) : step;
            err.print("\r\033[K" + line);
            err.flush();
            drawn = true;
        }

        void clear() {
            if (drawn) {
                PrintWriter err = spec.commandLine().getErr();
                err.print("\r\033[K");
                err.flush();
                drawn = false;
            }
        }
    }
}
