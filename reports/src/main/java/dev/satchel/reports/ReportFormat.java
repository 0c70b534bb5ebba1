package dev.satchel.reports;

import java.util.Locale;

/** The files a report renders to, each with its fixed file name in the output folder. */
public enum ReportFormat {
    JSON("report.json"),
    MARKDOWN("report.md"),
    HTML("report.html"),
    JUNIT("junit.xml"),
    SARIF("report.sarif");

    private final String fileName;

    ReportFormat(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    /** The id used on the command line: json, md, html, junit, sarif. */
    public String id() {
        return this == MARKDOWN ? "md" : name().toLowerCase(Locale.ROOT);
    }

    public static ReportFormat ofId(String id) {
        for (ReportFormat f : values()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + id + "' (json, md, html, junit, sarif)");
    }
}
