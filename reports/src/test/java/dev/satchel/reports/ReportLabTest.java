package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's optional device lab section (docs/report-schema.md, "lab"): golden report.json and
 * report.md for the tiny MLP with a fixed satchel.lab/v1 document, and the lab's rows in the HTML,
 * JUnit and SARIF renderings. Regenerate the goldens with {@code -Dsatchel.golden.regenerate=true}.
 */
class ReportLabTest {
    @TempDir
    Path dir;

    private static void golden(String name, String actual) throws Exception {
        Goldens.assertMatches(name, actual);
    }

    private Report report() throws Exception {
        return Report.build(ReportFixtures.labInputs(dir));
    }

    @Test
    void build_withLab_matchesGoldenJson() throws Exception {
        golden("report-lab.json", report().json());
    }

    @Test
    void render_markdownWithLab_matchesGolden() throws Exception {
        golden("report-lab.md", report().render(ReportFormat.MARKDOWN));
    }

    @Test
    void build_withLab_sameReportAsWithoutPlusTheLabKeyLast() throws Exception {
        String without = Report.build(ReportFixtures.inputs(dir, true)).json();
        String with = report().json();
        assertFalse(without.contains("\"lab\""), "no lab key without a lab run");
        int at = with.indexOf(",\n  \"lab\" : {");
        assertTrue(at > 0, with);
        assertEquals(without.substring(0, without.length() - 3), with.substring(0, at));
    }

    @Test
    void parse_ofWrittenJsonWithLab_reRendersEveryFormatIdentically() throws Exception {
        Report a = report();
        Report back = Report.parse(a.json());
        for (ReportFormat f : ReportFormat.values()) {
            assertEquals(a.render(f), back.render(f), f.fileName());
        }
    }

    @Test
    void build_labNotALabDocument_invalidInput() throws Exception {
        ReportInputs in = ReportFixtures.inputs(dir, true).withLab("{\"schema\": \"satchel.check/v1\"}");
        ReportException e = assertThrows(ReportException.class, () -> Report.build(in));
        assertEquals(ReportException.Code.INVALID_INPUT, e.code());
        assertTrue(e.getMessage().contains("satchel.lab/v1"), e.getMessage());
    }

    @Test
    void parse_labRowWithoutAgrees_invalidFieldNamesPointer() throws Exception {
        String json = report().json().replaceFirst("\"agrees\" : true", "\"agrees\" : \"yes\"");
        ReportException e = assertThrows(ReportException.class, () -> Report.parse(json));
        assertEquals(ReportException.Code.INVALID_FIELD, e.code());
        assertTrue(e.getMessage().endsWith("/lab/results/0/agrees: expected a boolean, got string"), e.getMessage());
    }

    @Test
    void render_junit_oneCasePerLabRun_disagreementsFail() throws Exception {
        String xml = report().render(ReportFormat.JUNIT);
        assertTrue(xml.contains("<testsuite name=\"satchel.lab\" tests=\"4\" failures=\"2\""), xml);
        assertTrue(xml.contains("<testcase classname=\"satchel.lab.android-go-1gb\" name=\"mlp\" time=\"0\">"), xml);
        assertTrue(xml.contains("<failure type=\"lab-disagreement\" message=\"predicted to fit (estimate 1.0 MiB of a "
                + "40.0 MiB budget) but the run ended oom_killed under the 64.0 MiB limit\">"), xml);
        assertTrue(xml.contains("the run ended refused; forced: ran (exit 0) under the 100.0 MiB limit: the estimate is "
                + "pessimistic for this device"), xml);
    }

    @Test
    void render_sarif_disagreementsAreResults_errorWhenPredictedToFit() throws Exception {
        JsonNode s = new ObjectMapper().readTree(report().render(ReportFormat.SARIF));
        JsonNode run = s.path("runs").get(0);
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertEquals("lab-disagreement", rules.get(rules.size() - 1).path("id").asText());
        List<String> lab = new ArrayList<>();
        for (JsonNode r : run.path("results")) {
            if (r.path("ruleId").asText().equals("lab-disagreement")) {
                assertEquals(rules.size() - 1, r.path("ruleIndex").asInt());
                lab.add(r.path("level").asText() + " " + r.path("properties").path("device").asText());
            }
        }
        assertEquals(List.of("error samsung-galaxy-s24-snapdragon", "warning browser-wasm-only"), lab);
        // Without a lab section the rule list is unchanged, so rule indices stay stable.
        JsonNode plain = new ObjectMapper().readTree(Report.build(ReportFixtures.inputs(dir, true)).render(ReportFormat.SARIF));
        assertEquals(rules.size() - 1, plain.path("runs").get(0).path("tool").path("driver").path("rules").size());
    }

    @Test
    void render_html_labTableAndMemoryChart() throws Exception {
        String html = report().render(ReportFormat.HTML);
        assertTrue(html.contains("<h2>Device lab</h2>"), html);
        assertTrue(html.contains("<table id=\"lab\">"), html);
        assertTrue(html.contains("<tr><td>samsung-galaxy-s24-snapdragon</td><td>mlp</td><td class=\"num\">64.0 MiB</td>"
                + "<td class=\"num\">2</td><td class=\"num\">1.0 MiB / 40.0 MiB</td><td>fits</td><td>oom_killed</td>"), html);
        assertTrue(html.contains("<td class=\"num\">0.05 ms / 0.10 ms (0.50)</td>"), html);
        int chart = html.indexOf("data-chart=\"lab-memory\"");
        assertTrue(chart > 0, html);
        String svg = html.substring(chart, html.indexOf("</svg>", chart));
        // Two marks (estimate, measured) per run.
        assertEquals(8, svg.split("class=\"mark\"", -1).length - 1, svg);
        assertTrue(svg.contains("killed at 64.0 MiB"), svg);
        assertTrue(svg.contains("RSS Δ 1.0 MiB"), svg);
    }
}
