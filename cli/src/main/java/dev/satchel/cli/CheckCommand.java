package dev.satchel.cli;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.check.CheckOptions;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.devices.check.CheckReportJson;
import dev.satchel.devices.check.CompatibilityChecker;
import dev.satchel.devices.check.DeviceReport;
import dev.satchel.devices.check.EpCoverage;
import dev.satchel.devices.check.Finding;
import dev.satchel.devices.check.Severity;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel check}: will this model run on these devices, and how well? */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {
            "Check a model against device profiles, without running it.",
            "Memory plan against the model budget, storage, opset and IR against the ONNX",
            "Runtime, which nodes each accelerator's execution provider takes (share of",
            "MACs, partitions, why the rest falls back), dtype fit, rough latency.",
            "Estimates are labelled as estimates. Method: docs/checker.md.",
            "Exit 0 when every device passes (warn passes unless --strict), 1 when any",
            "fails, 3 when the model or a profile is invalid."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel check model.onnx --device samsung-galaxy-s24-snapdragon \\",
            "      --dim batch_size=1 --dim sequence_length=128",
            "  satchel check model.onnx --all --format json",
            "  satchel check decoder.onnx --device google-pixel-9 --context 2048 --strict",
            "  satchel check model.onnx --profile our-pixel.yaml --device our-pixel",
        })
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Path to an .onnx file, or example:ID.")
    String model;

    @Option(names = "--device", paramLabel = "ID", description = "Profile id to check against. Repeatable.")
    List<String> devices = new ArrayList<>();

    @Option(names = "--all", description = "Check against every profile (built-in and --profile files).")
    boolean all;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Add a profile file; its id can then be used with --device. Repeatable.")
    List<Path> profiles = new ArrayList<>();

    @Option(names = "--context", paramLabel = "N",
            description = "Context length for decoder KV caches (binds the past_key_values sequence axis).")
    Long context;

    @Option(names = "--strict", description = "Exit 1 when any device warns, not only when one fails.")
    boolean strict;

    @Mixin
    DimOptions dims;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    /**
     * Started when picocli creates the command, before it builds the command model and parses the
     * arguments: the built-in profiles and the operator tables then load on a second core while
     * picocli works on the first. Both are cached per JVM, so {@link #call()} finds them loaded (or
     * waits for them); a load failure is left for call() to meet and report.
     */
    private final CompletableFuture<ExecutionProviderCatalogue> eps = CompletableFuture.supplyAsync(() -> {
        try {
            ProfileCatalogue.builtIn();
        } catch (RuntimeException e) {
            // call() loads the catalogue again and reports the problem
        }
        return ExecutionProviderCatalogue.builtIn();
    });

    @Override
    public Integer call() throws Exception {
        Map<String, Long> bindings = dims.bindings();
        if (context != null && context < 0) {
            throw new CliException(ExitCode.USAGE, "--context must be 0 or more");
        }
        // A model file (not an example:ID, which may need a download) is read on another core while
        // the profiles are resolved; its errors are still reported after the profile errors.
        CompletableFuture<OnnxModel> read = model.startsWith("example:") ? null : readInBackground(model);
        ProfileCatalogue catalogue = ProfilesCommand.catalogue(profiles, spec.commandLine().getErr());
        List<DeviceProfile> targets = targets(catalogue);
        OnnxModel m = read == null ? ModelReader.read(ModelPaths.resolve(model)) : await(read);
        CheckReport report = new CompatibilityChecker(eps.join()).check(m, targets,
                new CheckOptions(bindings, context == null ? OptionalLong.empty() : OptionalLong.of(context)));
        PrintWriter out = spec.commandLine().getOut();
        if (format.format() == OutputFormat.json) {
            out.println(CheckReportJson.toJson(report));
        } else {
            printText(out, report, verbose());
        }
        out.flush();
        return report.passes(strict) ? ExitCode.OK.code() : ExitCode.CHECK_FAILED.code();
    }

    private static CompletableFuture<OnnxModel> readInBackground(String model) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ModelReader.read(ModelPaths.resolve(model));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "satchel-check-read");
            t.setDaemon(true);
            t.start();
        });
    }

    /** The future's value, or the exception its task threw, as if the task had run on this thread. */
    private static <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception) {
                throw (Exception) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
    }

    private boolean verbose() {
        Object root = spec.root().userObject();
        return root instanceof SatchelCommand && ((SatchelCommand) root).global != null
                && ((SatchelCommand) root).global.verbose();
    }

    private List<DeviceProfile> targets(ProfileCatalogue catalogue) {
        Map<String, DeviceProfile> out = new LinkedHashMap<>();
        if (all) {
            catalogue.all().forEach(p -> out.put(p.id(), p));
        }
        for (String id : devices) {
            DeviceProfile p = catalogue.find(id).orElseThrow(() -> new CliException(ExitCode.INPUT_INVALID,
                    "no profile '" + id + "'; see satchel profiles list"));
            out.put(p.id(), p);
        }
        if (out.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "name at least one --device ID (or --all); see satchel profiles list");
        }
        return new ArrayList<>(out.values());
    }

    static void printText(PrintWriter out, CheckReport r, boolean verbose) {
        String opsets = new java.util.TreeMap<>(r.opsets()).entrySet().stream()
                .map(e -> (e.getKey().isEmpty() ? "ai.onnx" : e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String dims = r.dims().isEmpty() ? "no --dim bindings"
                : r.dims().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        out.printf("%s  %s, IR %d, %s, %d nodes, %s MACs (%s)%n", r.model(), Sizes.bytes(r.modelBytes()), r.irVersion(),
                opsets, r.nodes(), Sizes.count(r.totalMacs()), dims);
        int w = Math.max(6, r.devices().stream().mapToInt(d -> d.deviceId().length()).max().orElse(6));
        String fmt = "%-" + w + "s  %-7s  %-14s  %-16s  %-34s  %s%n";
        out.println();
        out.printf(fmt, "DEVICE", "VERDICT", "PEAK MEM (EST)", "BUDGET", "BEST ACCELERATOR (SHARE OF MACS)", "LATENCY (EST)");
        for (DeviceReport d : r.devices()) {
            out.printf(fmt, d.deviceId(), d.verdict().label().toUpperCase(Locale.ROOT), mib(d.memory().totalBytes()),
                    d.modelBudgetBytes().map(CheckCommand::mib).orElse("unknown"), accelerator(d),
                    d.latency().map(l -> "~" + ms(l.milliseconds())).orElse("-"));
        }
        for (DeviceReport d : r.devices()) {
            List<Finding> shown = d.findings().stream()
                    .filter(f -> verbose || f.severity() != Severity.INFO).toList();
            if (shown.isEmpty()) {
                continue;
            }
            out.println();
            out.printf("%s (%s)%n", d.deviceId(), d.verdict().label());
            for (Finding f : shown) {
                out.printf("  %-4s %s: %s%n", f.severity().label(), f.code().label(), f.message());
                f.fix().ifPresent(x -> out.printf("       fix: %s%n", x));
            }
        }
        if (!verbose) {
            out.println();
            out.println("Estimates and caveats: --verbose. Every node's placement and reason: --format json.");
        }
    }

    private static String accelerator(DeviceReport d) {
        if (d.preferredCoverage().isEmpty()) {
            return "CPU only";
        }
        EpCoverage best = d.preferredCoverage().get();
        String share = best.macShare().isPresent()
                ? String.format(Locale.ROOT, "%.0f%%", best.macShare().getAsDouble() * 100)
                : best.nodesTaken() + "/" + best.nodesTotal() + " nodes";
        return best.executionProvider() + " " + share + ", " + best.partitions() + " part.";
    }

    static String mib(long bytes) {
        double m = bytes / (double) (1 << 20);
        return m >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", m / 1024) : String.format(Locale.ROOT, "%.0f MiB", m);
    }

    static String ms(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
