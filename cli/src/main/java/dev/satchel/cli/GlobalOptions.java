package dev.satchel.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, declared once on the root command and inherited by all
 * subcommands.
 */
public final class GlobalOptions {
    @Option(names = "--stacktrace", scope = ScopeType.INHERIT,
            description = "On error, print the full stack trace as well as the one-line message.")
    boolean stacktrace;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print more detail about what is being done.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only results and errors.")
    boolean quiet;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "Never use colour (also when NO_COLOR is set or output is not a terminal).")
    boolean noColor;

    public boolean stacktrace() {
        return stacktrace;
    }

    public boolean verbose() {
        return verbose;
    }

    public boolean quiet() {
        return quiet;
    }

    /** Colour only on a terminal, and never when {@code NO_COLOR} is set (no-color.org). */
    public boolean color() {
        String noColorEnv = System.getenv("NO_COLOR");
        return !noColor && (noColorEnv == null || noColorEnv.isEmpty()) && System.console() != null;
    }
}
