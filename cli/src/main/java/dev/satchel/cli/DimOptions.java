package dev.satchel.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Mixin: {@code --dim NAME=VALUE}, binding symbolic dimensions such as {@code batch=1}. */
public final class DimOptions {
    @Option(names = "--dim", paramLabel = "NAME=VALUE",
            description = "Bind a symbolic dimension, e.g. --dim batch_size=1 --dim sequence_length=128. Repeatable.")
    List<String> dims = new ArrayList<>();

    /** The bindings in the order given; throws a usage error naming the bad entry. */
    public Map<String, Long> bindings() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String d : dims) {
            int eq = d.lastIndexOf('=');
            if (eq <= 0 || eq == d.length() - 1) {
                throw new CliException(ExitCode.USAGE, "--dim '" + d + "': expected NAME=VALUE, e.g. --dim batch=1");
            }
            String name = d.substring(0, eq);
            long v;
            try {
                v = Long.parseLong(d.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new CliException(ExitCode.USAGE, "--dim '" + d + "': value '" + d.substring(eq + 1) + "' is not a whole number");
            }
            if (v < 0) {
                throw new CliException(ExitCode.USAGE, "--dim '" + d + "': value must be 0 or more");
            }
            if (m.put(name, v) != null) {
                throw new CliException(ExitCode.USAGE, "--dim '" + name + "' is given twice");
            }
        }
        return Collections.unmodifiableMap(m);
    }
}
