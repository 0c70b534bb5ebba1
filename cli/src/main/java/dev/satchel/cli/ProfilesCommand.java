package dev.satchel.cli;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.Fact;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ProfileException;
import dev.satchel.devices.ProfileProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code satchel profiles}: the device-profile catalogue (list, show, validate). */
@Command(name = "profiles", mixinStandardHelpOptions = true,
        description = {
            "List, show and validate device profiles.",
            "The built-in catalogue of real targets, plus your own profile files.",
            "Format: docs/profile-schema.md."
        },
        subcommands = {ProfilesListCommand.class, ProfilesShowCommand.class, ProfilesValidateCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel profiles list",
            "  satchel profiles show google-pixel-8",
            "  satchel profiles validate my-device.yaml",
        })
final class ProfilesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The built-in catalogue plus the given files. Invalid files are reported one line per
     * problem on stderr and end the command with exit code 3.
     */
    static ProfileCatalogue catalogue(List<Path> files, PrintWriter err) throws IOException {
        ProfileCatalogue c = ProfileCatalogue.builtIn();
        if (files.isEmpty()) {
            return c;
        }
        try {
            return c.withFiles(files);
        } catch (ProfileException e) {
            printProblems(e.problems(), err);
            throw new CliException(ExitCode.INPUT_INVALID, problemCount(e.problems()) + " in profile files");
        }
    }

    static void printProblems(List<ProfileProblem> problems, PrintWriter err) {
        for (ProfileProblem p : problems) {
            err.println(p);
        }
        err.flush();
    }

    static String problemCount(List<ProfileProblem> problems) {
        return problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    }

    /** A memory fact in MiB as people read it: {@code 1.8 GB (estimate)}, {@code 500 MB}. */
    static String mib(Fact<Long> f) {
        return mib(f.value()) + label(f);
    }

    static String mib(long mib) {
        if (mib >= 1024) {
            double g = mib / 1024.0;
            return String.format(Locale.ROOT, g >= 10 ? "%.0f GiB" : "%.1f GiB", g);
        }
        return mib + " MiB";
    }

    /** The evidence suffix printed after a value: nothing for vendor facts. */
    static String label(Fact<?> f) {
        switch (f.evidence()) {
            case VENDOR:
                return "";
            case ESTIMATE:
                return " (estimate)";
            default:
                return " (" + f.evidence().label() + ")";
        }
    }

    static String ram(DeviceProfile p) {
        return p.ramGb().map(f -> f.value() + " GB").orElse("host");
    }
}
