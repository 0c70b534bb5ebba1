package dev.satchel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code satchel} command: the only place that exits the JVM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        QuantizePrefetch.startIfQuantize(args);
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Adds the subcommand named by the first non-option argument, or every subcommand when none
     * matches (root help, typos: picocli then lists them or suggests the closest).
     */
    static void registerSubcommands(CommandLine cli, String[] args) {
        String first = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                first = a;
                break;
            }
        }
        for (Class<?> c : SatchelCommand.SUBCOMMANDS) {
            if (c.getAnnotation(picocli.CommandLine.Command.class).name().equals(first)) {
                cli.addSubcommand(c);
                return;
            }
        }
        if (first == null && java.util.Arrays.stream(args).anyMatch(a -> a.equals("-V") || a.equals("--version"))) {
            return; // the version needs no subcommand models
        }
        for (Class<?> c : SatchelCommand.SUBCOMMANDS) {
            cli.addSubcommand(c);
        }
    }

    /** Runs the command line and returns the exit code; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("satchel.examples", ModelPaths.examplesHelp());
        CommandLine cli = new CommandLine(new SatchelCommand());
        registerSubcommands(cli, args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(ErrorReporter::exitCodeOf);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("satchel: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            GlobalOptions global = ((SatchelCommand) cli.getCommand()).global;
            return ErrorReporter.report(ex, err, global != null && global.stacktrace());
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands errors on: report it as one line like any other failure. Outputs are
            // written to a temporary file and renamed, so nothing half-written is left.
            out.flush();
            err.println("satchel: out of memory (" + e.getMessage() + "); give the JVM more, e.g. "
                    + "SATCHEL_JAVA_OPTS='-Xmx4g -XX:MaxDirectMemorySize=4g' (direct memory holds quantized weights "
                    + "and defaults to the -Xmx value)");
            code = ExitCode.IO_ERROR.code();
        }
        out.flush();
        err.flush();
        return code;
    }
}
