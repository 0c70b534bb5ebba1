package dev.satchel.cli;

/**
 * A failure the CLI reports as one line and an exit code. Library exceptions are mapped to this
 * by {@link ErrorReporter}; commands may also throw it directly.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public CliException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
