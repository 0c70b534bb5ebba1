package dev.satchel.cli;

/** The output formats shared by commands that report something. */
public enum OutputFormat {
    text,
    json
}
