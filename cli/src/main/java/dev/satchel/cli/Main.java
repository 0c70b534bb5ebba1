package dev.satchel.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code satchel} command: the only place that exits the JVM. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        System.setProperty("satchel.examples", ModelPaths.examplesHelp());
        CommandLine cli = new CommandLine(new SatchelCommand());
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
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
