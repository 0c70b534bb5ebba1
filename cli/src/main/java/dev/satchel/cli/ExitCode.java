package dev.satchel.cli;

/**
 * The documented exit codes of the {@code satchel} command (docs/cli.md). Stable: CI scripts
 * branch on them.
 */
public enum ExitCode {
    /** Success: the command did what was asked and every check passed. */
    OK(0),
    /** A check or gate ran and failed (device not compatible, accuracy gate missed). */
    CHECK_FAILED(1),
    /** The command line itself was wrong (unknown option, missing argument). */
    USAGE(2),
    /** An input file is invalid: malformed model, profile, config, key or bundle. */
    INPUT_INVALID(3),
    /** A signature, digest or bundle verification failed. */
    VERIFICATION_FAILED(4),
    /** The environment got in the way: an output cannot be written, a needed tool is missing. */
    IO_ERROR(5),
    /** A bug in Satchel. The message asks for a report; --stacktrace shows where. */
    INTERNAL(70);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
