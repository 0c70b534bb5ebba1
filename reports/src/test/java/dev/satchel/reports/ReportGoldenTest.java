package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden report.json and report.md for the tiny MLP against a fixed device list. Regenerate with
 * {@code -Dsatchel.golden.regenerate=true} and review the diff.
 */
class ReportGoldenTest {
    @TempDir
    Path dir;

    private static void golden(String name, String actual) throws Exception {
        Goldens.assertMatches(name, actual);
    }

    @Test
    void build_fixedModelAndDevices_matchesGoldenJson() throws Exception {
        golden("report.json", ReportFixtures.report(dir).json());
    }

    @Test
    void render_markdown_matchesGolden() throws Exception {
        golden("report.md", ReportFixtures.report(dir).render(ReportFormat.MARKDOWN));
    }

    @Test
    void quantizationGate_metOnlyWithEverythingInFloat_failsWithThatReason() throws Exception {
        // What QuantizeSession reports when the gate holds only with every layer back in float32.
        String floatOnly = ReportFixtures.QUANTIZATION.replace("\"layers_quantized\": 1", "\"layers_quantized\": 0")
                .replace("\"passed\": true", "\"passed\": false").replace("\"mean_cosine\": 0.998731", "\"mean_cosine\": 1.000000");
        ReportInputs base = ReportFixtures.inputs(dir, true);
        Report r = Report.build(new ReportInputs(base.modelSource(), base.modelSha256(), base.facts(), base.sourceBytes(),
                base.check(), Optional.of(floatOnly), base.requirements(), base.bundle(), base.tool(), base.generatedAt(),
                base.labJson()));
        assertFalse(r.passed());
        assertTrue(r.json().contains("the gate's 0.995000 is met only with every layer kept in float32 (nothing quantized)"),
                r.json());
        assertFalse(r.json().contains("below the gate's"), r.json());
    }

    @Test
    void quantizationWarnings_renderedInMarkdownAndHtml() throws Exception {
        String warned = ReportFixtures.QUANTIZATION.replace("\"warnings\": []",
                "\"warnings\": [\"the original model's output 'y' is near zero on every evaluation input <2e-05>\"]");
        ReportInputs base = ReportFixtures.inputs(dir, true);
        Report r = Report.build(new ReportInputs(base.modelSource(), base.modelSha256(), base.facts(), base.sourceBytes(),
                base.check(), Optional.of(warned), base.requirements(), base.bundle(), base.tool(), base.generatedAt(),
                base.labJson()));
        String md = r.render(ReportFormat.MARKDOWN);
        assertTrue(md.contains("Quantization warnings:\n\n- the original model's output 'y' is near zero"), md);
        String html = r.render(ReportFormat.HTML);
        assertTrue(html.contains("<ul class=\"note\" id=\"quantization-warnings\"><li>the original model&#39;s output")
                || html.contains("<ul class=\"note\" id=\"quantization-warnings\"><li>the original model's output"), html);
        assertTrue(html.contains("&lt;2e-05&gt;"), "escaped");
    }

    @Test
    void build_notQuantized_matchesGoldenJson() throws Exception {
        golden("report-unquantized.json", Report.build(ReportFixtures.inputs(dir, false)).json());
    }

    @Test
    void build_twice_everyFormatByteIdentical() throws Exception {
        Report a = ReportFixtures.report(Files.createDirectories(dir.resolve("a")));
        Report c = ReportFixtures.report(Files.createDirectories(dir.resolve("b")));
        for (ReportFormat f : ReportFormat.values()) {
            assertEquals(a.render(f), c.render(f), f.fileName());
        }
    }

    @Test
    void parse_ofWrittenJson_reRendersEveryFormatIdentically() throws Exception {
        Report a = ReportFixtures.report(dir);
        Report back = Report.parse(a.json());
        for (ReportFormat f : ReportFormat.values()) {
            assertEquals(a.render(f), back.render(f), f.fileName());
        }
    }

    @Test
    void build_withTimestamp_onlyGeneratedAtDiffers() throws Exception {
        ReportInputs in = ReportFixtures.inputs(dir, true);
        ReportInputs stamped = new ReportInputs(in.modelSource(), in.modelSha256(), in.facts(), in.sourceBytes(),
                in.check(), in.quantizationJson(), in.requirements(), in.bundle(), in.tool(),
                Optional.of(Instant.parse("2026-11-25T12:00:00Z")));
        String plain = Report.build(in).json();
        String withTime = Report.build(stamped).json();
        assertEquals(plain.replace("\"generatedAt\" : null", "\"generatedAt\" : \"2026-11-25T12:00:00Z\""), withTime);
    }

    @Test
    void build_requirementsUnmet_reportFailsWithReasons() throws Exception {
        Report r = ReportFixtures.report(dir);
        // The S24's QNN HTP takes no MACs of an fp32 model; the requirement wants half of them.
        assertFalse(r.passed());
        assertTrue(r.json().contains("wanted at least 50%"), r.json());
    }

    @Test
    void build_quantizationNotAReport_invalidInput() throws Exception {
        ReportInputs in = ReportFixtures.inputs(dir, true);
        ReportInputs bad = new ReportInputs(in.modelSource(), in.modelSha256(), in.facts(), in.sourceBytes(),
                in.check(), Optional.of("{\"schema\": \"other/v1\"}"), in.requirements(), in.bundle(), in.tool(),
                in.generatedAt());
        ReportException e = assertThrows(ReportException.class, () -> Report.build(bad));
        assertEquals(ReportException.Code.INVALID_INPUT, e.code());
    }

    @Test
    void render_html_chartsQualityPerKeptLayer() throws Exception {
        String html = ReportFixtures.report(dir).render(ReportFormat.HTML);
        assertTrue(html.contains("Quality per kept layer: mean cosine it alone gained when kept in higher precision"), html);
        assertTrue(html.contains("MatMul_1 (float, 512 B)") && html.contains("+0.0121"), html);
    }

    @Test
    void render_markupInModelName_escapedInHtmlXmlAndMarkdown() throws Exception {
        ReportInputs in = ReportFixtures.inputs(dir, true);
        String evil = "<img src=http://127.0.0.1:9/x onerror=alert(1)>|`";
        Report r = Report.build(new ReportInputs(evil, in.modelSha256(), in.facts(), in.sourceBytes(), in.check(),
                in.quantizationJson(), in.requirements(), in.bundle(), in.tool(), in.generatedAt()));
        assertFalse(r.render(ReportFormat.HTML).contains("<img"), "raw markup in report.html");
        assertFalse(r.render(ReportFormat.MARKDOWN).contains("<img"), "raw markup in report.md");
        assertFalse(r.render(ReportFormat.JUNIT).contains("<img"), "raw markup in junit.xml");
        assertTrue(r.render(ReportFormat.SARIF).contains(evil.replace("\"", "\\\"")), "SARIF keeps the name as JSON text");
    }

    @Test
    void parse_wrongSchema_wrongSchemaCode() {
        ReportException e = assertThrows(ReportException.class,
                () -> Report.parse("{\"schema\": \"satchel.check/v1\"}"));
        assertEquals(ReportException.Code.WRONG_SCHEMA, e.code());
        assertTrue(e.getMessage().contains("satchel.check/v1"), e.getMessage());
    }

    @Test
    void parse_missingField_namesPointer() throws Exception {
        String json = ReportFixtures.report(dir).json().replace("\"tool\" :", "\"toolx\" :");
        ReportException e = assertThrows(ReportException.class, () -> Report.parse(json));
        assertEquals(ReportException.Code.INVALID_FIELD, e.code());
        assertTrue(e.getMessage().contains("/tool"), e.getMessage());
    }

    @Test
    void parse_notJson_notJsonCode() {
        ReportException e = assertThrows(ReportException.class, () -> Report.parse("{ nope"));
        assertEquals(ReportException.Code.NOT_JSON, e.code());
    }

    @Test
    void writer_allFormats_writesFixedNames() throws Exception {
        var files = ReportWriter.write(ReportFixtures.report(dir), dir.resolve("out"), EnumSet.allOf(ReportFormat.class));
        assertEquals(5, files.size());
        for (ReportFormat f : ReportFormat.values()) {
            assertTrue(Files.isRegularFile(dir.resolve("out").resolve(f.fileName())));
        }
    }
}
