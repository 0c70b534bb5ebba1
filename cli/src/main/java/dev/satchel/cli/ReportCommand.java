package dev.satchel.cli;

import dev.satchel.reports.Report;
import dev.satchel.reports.ReportException;
import dev.satchel.reports.ReportFormat;
import dev.satchel.reports.ReportWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code satchel report}: re-render report.md, report.html, junit.xml and report.sarif from report.json. */
@Command(name = "report",
        header = "Render a build report again from its report.json.", mixinStandardHelpOptions = true,
        description = {
            "Render a build report (satchel.report/v1, docs/report-schema.md) again from its",
            "report.json: report.md, report.html, junit.xml and report.sarif, byte for byte",
            "what satchel build wrote. Exit 0 when rendered (whatever the report's verdict),",
            "3 when the file is not a satchel.report/v1 document.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel report dist/report.json --out site/",
            "  satchel report dist/report.json --out . --format md --format sarif",
        })
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPORT.json", description = "The report.json written by satchel build.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the files into.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", split = ",",
            description = "md, html, junit, sarif or json (repeatable; default: md, html, junit, sarif).")
    List<String> formats = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<ReportFormat> wanted = EnumSet.noneOf(ReportFormat.class);
        for (String f : formats) {
            try {
                wanted.add(ReportFormat.ofId(f));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--format: " + e.getMessage());
            }
        }
        if (wanted.isEmpty()) {
            wanted = EnumSet.complementOf(EnumSet.of(ReportFormat.JSON));
        }
        Report report;
        try {
            report = Report.parse(Files.readString(input, StandardCharsets.UTF_8));
        } catch (ReportException e) {
            throw new CliException(ExitCode.INPUT_INVALID, input + ": " + e.getMessage(), e);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new CliException(ExitCode.INPUT_INVALID, input + ": not UTF-8 text", e);
        }
        List<Path> written = ReportWriter.write(report, out, wanted);
        PrintWriter w = spec.commandLine().getOut();
        for (Path p : written) {
            w.println(p);
        }
        w.flush();
        return ExitCode.OK.code();
    }
}
