package dev.satchel.cli;

import dev.satchel.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns any exception a command throws into one line on stderr and an exit code. Library
 * exceptions carry stable codes; this is the one place that maps them to exit codes.
 */
final class ErrorReporter {
    private ErrorReporter() {}

    static int report(Exception ex, PrintWriter err, boolean stacktrace) {
        ExitCode code = exitCodeFor(ex);
        String message = messageOf(ex);
        err.println("satchel: " + message);
        if (code == ExitCode.INTERNAL) {
            err.println("This is a bug in Satchel; please report it with the output of --stacktrace.");
        }
        if (stacktrace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code.code();
    }

    static int exitCodeOf(Throwable ex) {
        return exitCodeFor(ex).code();
    }

    static ExitCode exitCodeFor(Throwable ex) {
        if (ex instanceof CliException) {
            return ((CliException) ex).exitCode();
        }
        if (ex instanceof dev.satchel.devices.ProfileException) {
            return ExitCode.INPUT_INVALID;
        }
        if (ex instanceof ModelException) {
            return ExitCode.INPUT_INVALID;
        }
        if (ex instanceof NoSuchFileException) {
            return ExitCode.INPUT_INVALID;
        }
        if (ex instanceof dev.satchel.verifier.signature.ModelSignatureException) {
            return ExitCode.VERIFICATION_FAILED;
        }
        if (ex instanceof dev.satchel.verifier.bundle.VerificationException) {
            return ExitCode.VERIFICATION_FAILED;
        }
        if (ex instanceof dev.satchel.packager.bundle.BundleWriteException) {
            return ExitCode.INPUT_INVALID;
        }
        if (ex instanceof dev.satchel.signing.SigningException) {
            return ((dev.satchel.signing.SigningException) ex).code() == dev.satchel.signing.SigningException.Code.SELF_CHECK_FAILED
                    ? ExitCode.INTERNAL : ExitCode.INPUT_INVALID;
        }
        if (ex instanceof java.io.IOException) {
            return ExitCode.IO_ERROR;
        }
        return ExitCode.INTERNAL;
    }

    static String messageOf(Throwable ex) {
        if (ex instanceof NoSuchFileException) {
            return ex.getMessage() + ": no such file";
        }
        if (ex instanceof AccessDeniedException) {
            return ex.getMessage() + ": permission denied";
        }
        String m = ex.getMessage();
        if (ex instanceof dev.satchel.verifier.bundle.VerificationException) {
            m = ((dev.satchel.verifier.bundle.VerificationException) ex).code() + ": " + m;
        }
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        // One line: the first line of the message only.
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }
}
