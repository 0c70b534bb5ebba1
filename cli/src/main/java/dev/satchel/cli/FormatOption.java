package dev.satchel.cli;

import picocli.CommandLine.Option;

/** Mixin: {@code --format text|json}. */
public final class FormatOption {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format = OutputFormat.text;

    public OutputFormat format() {
        return format;
    }
}
