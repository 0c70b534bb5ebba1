package dev.satchel.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Passphrases and PINs: from a file (first line) or an environment variable, never from argv. */
final class Secrets {
    private Secrets() {}

    /** The first line of {@code file}, else the value of {@code envVar}, else {@code null}. */
    static char[] read(Path file, String envVar) {
        if (file != null) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                String line = nl >= 0 ? text.substring(0, nl) : text;
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                return line.toCharArray();
            } catch (IOException ex) {
                throw new CliException(ExitCode.INPUT_INVALID, file + ": cannot read secret file: " + ex.getMessage(), ex);
            }
        }
        String env = System.getenv(envVar);
        return env == null || env.isEmpty() ? null : env.toCharArray();
    }
}
