package dev.satchel.cli;

import dev.satchel.devices.Accelerator;
import dev.satchel.devices.ComputeType;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.Fact;
import dev.satchel.devices.PlatformLimit;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ProfileJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel profiles show ID}: every fact of one profile, with its evidence. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
            "Show every fact of one device profile.",
            "Budgets, CPU, accelerators and their execution providers, OS, ONNX Runtime",
            "version and limits. Estimates are marked; --format json adds the sources",
            "of every fact."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel profiles show samsung-galaxy-s24-snapdragon",
            "  satchel profiles show raspberry-pi-5 --format json",
            "  satchel profiles show our-pixel --profile our-pixel.yaml",
        })
final class ProfilesShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "Profile id (see satchel profiles list).")
    String id;

    @Option(names = "--profile", paramLabel = "FILE", description = "Add a profile file to the catalogue. Repeatable.")
    List<Path> profiles = new ArrayList<>();

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProfileCatalogue catalogue = ProfilesCommand.catalogue(profiles, spec.commandLine().getErr());
        DeviceProfile p = catalogue.find(id).orElseThrow(() -> new CliException(ExitCode.INPUT_INVALID,
                "no profile '" + id + "'; see satchel profiles list"));
        if (format.format() == OutputFormat.json) {
            out.println(ProfileJson.toJson(p));
        } else {
            print(out, p);
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static void print(PrintWriter out, DeviceProfile p) {
        out.printf("%s  %s%n", p.id(), p.name());
        out.printf("  class %s%s%s%n", p.deviceClass().label(), p.soc().map(s -> ", " + s).orElse(""),
                p.extendsId().map(e -> "; extends " + e).orElse(""));
        p.ramGb().ifPresent(f -> out.printf("  RAM            %d GB%s%n", f.value(), ProfilesCommand.label(f)));
        line(out, "app budget", p.memory().appBudgetMb().map(ProfilesCommand::mib).orElse("unknown"));
        p.memory().extendedBudgetMb().ifPresent(f -> line(out, "extended", ProfilesCommand.mib(f) + " with "
                + p.memory().extendedCondition().orElse("")));
        line(out, "model budget", p.memory().modelBudgetMb().map(ProfilesCommand::mib).orElse("unknown")
                + "  (what satchel check compares against)");
        p.memory().modelBudgetMb().flatMap(Fact::basis).ifPresent(b -> line(out, "  basis", b));
        p.memory().bandwidthGbps().ifPresent(f -> line(out, "bandwidth", String.format(Locale.ROOT, "%.1f GB/s%s",
                f.value(), ProfilesCommand.label(f))));
        p.storage().downloadBudgetMb().ifPresent(f -> line(out, "download", ProfilesCommand.mib(f)
                + f.note().map(n -> "  " + n).orElse("")));
        p.storage().installLimitMb().ifPresent(f -> line(out, "install limit", ProfilesCommand.mib(f)));
        List<String> cpu = new ArrayList<>();
        p.cpu().cores().ifPresent(f -> cpu.add(f.value() + " cores" + ProfilesCommand.label(f)));
        p.cpu().isa().ifPresent(f -> cpu.add(f.value()));
        p.cpu().features().ifPresent(f -> cpu.add(String.join(" ", f.value()) + ProfilesCommand.label(f)));
        line(out, "CPU", String.join("; ", cpu));
        p.cpu().layout().ifPresent(l -> line(out, "", l));
        out.println("  accelerators");
        for (Accelerator a : p.accelerators()) {
            String eps = a.executionProviders().isEmpty() ? "not reachable from ONNX Runtime"
                    : "via " + String.join(", ", a.executionProviders());
            String types = a.computeTypes().value().stream().map(ComputeType::label).collect(Collectors.joining(" "));
            String peak = a.peak().map(f -> String.format(Locale.ROOT, ", %s %s %s%s", trim(f.value().value()),
                    f.value().unit(), f.value().precision(), ProfilesCommand.label(f))).orElse("");
            out.printf("    %-8s %s (%s)%n", a.id(), a.name(), a.kind().label());
            out.printf("             %s; computes %s%s%s%n", eps, types.isEmpty() ? "-" : types,
                    ProfilesCommand.label(a.computeTypes()), peak);
            if (!a.attributes().isEmpty()) {
                out.printf("             %s%n", new java.util.TreeMap<>(a.attributes()).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            }
        }
        line(out, "OS", p.os().platform() + p.os().version().map(v -> " " + v.value() + ProfilesCommand.label(v))
                .orElse(""));
        line(out, "onnxruntime", p.onnxRuntime().value() + ProfilesCommand.label(p.onnxRuntime()));
        for (PlatformLimit l : PlatformLimit.values()) {
            Fact<Long> f = p.limits().get(l);
            if (f != null) {
                line(out, l.label(), f.value() + " bytes" + ProfilesCommand.label(f));
            }
        }
        out.printf("  %d sources; --format json lists them per fact. Origin: %s%n", p.sources().size(), p.origin());
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("  %-14s %s%n", label, value);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
