package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser: Debian's headless Chromium loads the file, the page's own script
 * records each chart's rendered size, {@code --dump-dom} returns the result, and Chromium's net
 * log shows every URL the page asked for. Needs the {@code chromium} package (.ci/run installs it);
 * fails, not skips, without it. The screenshot is kept in target/ for people to look at.
 */
class HtmlBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final Pattern SIZE = Pattern.compile(
            "data-chart=\"([a-z-]+)\"[^>]*data-rendered-size=\"(\\d+)x(\\d+) marks=(\\d+)\"");

    @TempDir
    Path dir;

    private String chromium(Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-default-apps", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium-" + args.length + ".log").toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(dir.resolve("chromium-" + args.length + ".log")));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** URLs of network requests (not file: or data:) started on behalf of a page, from a Chromium net log. */
    static List<String> pageRequests(Path netLog) throws Exception {
        JsonNode log = new ObjectMapper().readTree(netLog.toFile());
        int start = log.path("constants").path("logEventTypes").path("URL_REQUEST_START_JOB").asInt(-1);
        assertTrue(start >= 0, "net log has no URL_REQUEST_START_JOB type");
        List<String> out = new ArrayList<>();
        for (JsonNode e : log.path("events")) {
            JsonNode p = e.path("params");
            if (e.path("type").asInt() != start || !p.has("url")) {
                continue;
            }
            String url = p.path("url").asText();
            boolean local = url.startsWith("file:") || url.startsWith("data:") || url.startsWith("chrome:");
            if (!local && !p.path("initiator").asText().equals("not an origin")) {
                out.add(url + " (initiator " + p.path("initiator").asText() + ")");
            }
        }
        return out;
    }

    @Test
    void netLogCheck_pageThatFetches_isCaught() throws Exception {
        Path html = dir.resolve("fetches.html");
        Files.writeString(html, "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\">"
                + "<script>fetch('http://127.0.0.1:9/beacon').catch(function(){});</script></body></html>");
        Path netLog = dir.resolve("net-log.json");
        chromium(dir.resolve("profile"), "--log-net-log=" + netLog, "--virtual-time-budget=3000", "--dump-dom",
                html.toUri().toString());
        List<String> seen = pageRequests(netLog);
        assertTrue(seen.stream().anyMatch(u -> u.contains("127.0.0.1:9")), "detector missed a page request: " + seen);
    }

    @Test
    void html_inHeadlessChromium_rendersEveryChartWithoutNetwork() throws Exception {
        Report r = ReportFixtures.report(dir);
        Path html = dir.resolve("report.html");
        Files.writeString(html, r.render(ReportFormat.HTML));
        Path netLog = dir.resolve("net-log.json");
        String dom = chromium(dir.resolve("profile"), "--log-net-log=" + netLog, "--net-log-capture-mode=Everything",
                "--virtual-time-budget=3000", "--dump-dom", html.toUri().toString());

        assertTrue(dom.contains("data-script=\"ran\""), "the page's script did not run (CSP hash mismatch?)");
        Set<String> charts = new TreeSet<>();
        Matcher m = SIZE.matcher(dom);
        while (m.find()) {
            charts.add(m.group(1));
            assertTrue(Integer.parseInt(m.group(2)) > 100 && Integer.parseInt(m.group(3)) > 20,
                    m.group(1) + " rendered " + m.group(2) + "x" + m.group(3));
            assertTrue(Integer.parseInt(m.group(4)) > 0, m.group(1) + " has no bars");
        }
        assertEquals(new TreeSet<>(List.of("accelerator", "kept-layers", "memory", "quality", "size")), charts, dom);
        assertTrue(dom.contains("of 8 rows") || dom.matches("(?s).*\\d+ of \\d+ rows.*"), "fallback filter did not run");

        // Chromium itself calls home (component updates, accounts) with initiator "not an origin"
        // even with --disable-background-networking; anything the page asks for carries the page's
        // origin ("null" for a file). Only the latter counts.
        List<String> pageRequests = pageRequests(netLog);
        assertEquals(List.of(), pageRequests, "the report page made network requests");
        assertTrue(r.render(ReportFormat.HTML).contains("default-src 'none'"));

        Path shot = dir.resolve("shot.png");
        chromium(dir.resolve("profile2"), "--window-size=1280,2200", "--hide-scrollbars",
                "--screenshot=" + shot, html.toUri().toString());
        byte[] png = Files.readAllBytes(shot);
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "no screenshot");
        Path keep = Paths.get("target/report-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.write(keep, png);
        Files.writeString(Paths.get("target/report-screenshot.html"), r.render(ReportFormat.HTML));
    }

    @Test
    void html_withLab_labChartRendersWithoutNetwork() throws Exception {
        Report r = Report.build(ReportFixtures.labInputs(dir));
        Path html = dir.resolve("report-lab.html");
        Files.writeString(html, r.render(ReportFormat.HTML));
        Path netLog = dir.resolve("net-log-lab.json");
        String dom = chromium(dir.resolve("profile-lab"), "--log-net-log=" + netLog, "--net-log-capture-mode=Everything",
                "--virtual-time-budget=3000", "--dump-dom", html.toUri().toString());
        assertTrue(dom.contains("data-script=\"ran\""), "the page's script did not run (CSP hash mismatch?)");
        Matcher m = SIZE.matcher(dom);
        boolean lab = false;
        while (m.find()) {
            if (m.group(1).equals("lab-memory")) {
                lab = true;
                assertTrue(Integer.parseInt(m.group(2)) > 100 && Integer.parseInt(m.group(3)) > 20, m.group(0));
                assertEquals(8, Integer.parseInt(m.group(4)), m.group(0));
            }
        }
        assertTrue(lab, "no lab-memory chart rendered");
        assertEquals(List.of(), pageRequests(netLog), "the report page made network requests");
    }
}
