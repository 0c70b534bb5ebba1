package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * report.html: one self-contained file. Charts are inline SVG drawn here (no script needed to see
 * them); the only script filters the fallback table and records each chart's rendered size. The
 * Content-Security-Policy allows nothing but this page's own style and script (by hash), so the
 * page cannot load anything from the network even if a model name carried markup.
 */
public final class HtmlRenderer {
    private static final int W = 520;
    private static final int ROW = 36;
    private static final String GREEN = "#2f9e44";
    private static final String AMBER = "#e8a317";
    private static final String RED = "#d9480f";
    private static final String GREY = "#868e96";
    private static final String BLUE = "#1c7ed6";

    static final String STYLE = """
            :root{--fg:#1d2125;--muted:#5f6b76;--line:#dee2e6;--bg:#f8f9fa}
            *{box-sizing:border-box}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);margin:0;background:#fff}
            header{padding:20px 32px;border-bottom:1px solid var(--line);background:var(--bg)}
            main{padding:8px 32px 40px;max-width:1100px}
            h1{font-size:20px;margin:0 0 6px}
            h2{font-size:16px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
            .badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:600;font-size:13px;color:#fff;vertical-align:2px;margin-right:8px}
            .pass{background:#2f9e44}.warn{background:#e8a317}.fail{background:#d9480f}.info{background:#868e96}
            .meta{color:var(--muted);font-size:13px}
            .meta code{font-size:12px}
            table{border-collapse:collapse;width:100%;font-size:13px}
            th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
            th{background:var(--bg);font-weight:600}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            svg.chart{max-width:100%;height:auto}
            .grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(500px,1fr));gap:8px 32px}
            figure{margin:8px 0}
            figcaption{font-weight:600;margin-bottom:4px}
            svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;fill:#1d2125}
            svg .muted{fill:#5f6b76}
            .filters{display:flex;gap:8px;margin:8px 0;flex-wrap:wrap;align-items:center}
            input,select{font:inherit;padding:4px 6px;border:1px solid #ced4da;border-radius:4px}
            .findings li{margin:4px 0}
            .sev{display:inline-block;min-width:38px;text-align:center;border-radius:3px;color:#fff;font-size:11px;padding:0 4px;margin-right:4px}
            .note{color:var(--muted);font-size:12px}
            details summary{cursor:pointer}
            .scroll{overflow-x:auto}
            """;

    static final String SCRIPT = """
            (function(){
            var q=document.getElementById('fb-q'),dv=document.getElementById('fb-device'),ep=document.getElementById('fb-ep');
            var rows=document.querySelectorAll('#fallbacks tbody tr'),count=document.getElementById('fb-count');
            function apply(){var t=q.value.toLowerCase(),d=dv.value,e=ep.value,n=0;
            for(var i=0;i<rows.length;i++){var r=rows[i];
            var ok=(!d||r.getAttribute('data-device')===d)&&(!e||r.getAttribute('data-ep')===e)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);
            r.hidden=!ok;if(ok)n++;}
            count.textContent=n+' of '+rows.length+' rows';}
            if(q){q.addEventListener('input',apply);dv.addEventListener('change',apply);ep.addEventListener('change',apply);apply();}
            var charts=document.querySelectorAll('svg.chart');
            for(var j=0;j<charts.length;j++){var b=charts[j].getBoundingClientRect();
            charts[j].setAttribute('data-rendered-size',Math.round(b.width)+'x'+Math.round(b.height)+' marks='+charts[j].querySelectorAll('rect.mark').length);}
            document.body.setAttribute('data-script','ran');
            })();
            """;

    private HtmlRenderer() {}

    public static String render(JsonNode r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        JsonNode model = r.path("model");
        boolean passed = r.path("passed").asBoolean();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '")
                .append(sha256(STYLE)).append("'; script-src '").append(sha256(SCRIPT)).append("'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Satchel report: ").append(esc(model.path("source").asText())).append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<header>\n<h1>")
                .append("<span class=\"badge ").append(passed ? "pass\">ready to ship" : "fail\">not shipped")
                .append("</span>").append(esc(model.path("source").asText())).append("</h1>\n<div class=\"meta\">");
        JsonNode sizes = r.path("sizes");
        b.append(Fmt.bytes(sizes.path("modelBytes").asLong())).append(" · ").append(model.path("nodes").asLong())
                .append(" nodes · ").append(Fmt.count(model.path("parameters").asLong())).append(" parameters · IR ")
                .append(model.path("irVersion").asLong());
        model.path("opsets").properties().forEach(e -> b.append(" · ").append(esc(e.getKey())).append(' ')
                .append(e.getValue().asLong()));
        b.append(" · sha256 <code>").append(esc(model.path("sha256").asText())).append("</code>");
        JsonNode bundle = r.path("bundle");
        if (bundle.isObject()) {
            b.append("<br>bundle <code>").append(esc(bundle.path("name").asText())).append("</code> ")
                    .append(esc(bundle.path("version").asText())).append(" (").append(esc(bundle.path("file").asText()))
                    .append(')');
        }
        b.append("<br>").append(esc(r.path("tool").asText())).append(" · ").append(esc(r.path("schema").asText()));
        if (Fmt.has(r, "generatedAt")) {
            b.append(" · ").append(esc(r.path("generatedAt").asText()));
        }
        b.append("</div>\n</header>\n<main>\n");

        gates(b, r);
        devicesTable(b, r);
        labSection(b, r);
        b.append("<h2>Charts</h2>\n<p class=\"note\">Memory and latency are estimates from the model graph and the device profile (docs/checker.md).</p>\n<div class=\"grid\">\n");
        memoryChart(b, r);
        acceleratorChart(b, r);
        qualityCharts(b, r);
        sizeChart(b, r);
        b.append("</div>\n");
        findings(b, r);
        fallbacks(b, r);
        b.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void gates(StringBuilder b, JsonNode r) {
        java.util.Map<String, String> verdicts = new java.util.HashMap<>();
        r.path("check").path("devices").forEach(d -> verdicts.put(d.path("id").asText(), d.path("verdict").asText()));
        b.append("<h2>Gates</h2>\n<table id=\"gates\"><thead><tr><th>Gate</th><th>Result</th><th>Why</th></tr></thead><tbody>\n");
        for (JsonNode g : r.path("gates")) {
            boolean ok = g.path("passed").asBoolean();
            boolean req = g.path("required").asBoolean();
            b.append("<tr><td><code>").append(esc(g.path("id").asText())).append("</code></td><td>")
                    .append(ok ? "<span class=\"sev pass\">pass</span>" : req ? "<span class=\"sev fail\">fail</span>"
                            : "<span class=\"sev info\">fail</span> not required")
                    .append("</td><td>");
            int i = 0;
            for (JsonNode reason : g.path("reasons")) {
                b.append(i++ == 0 ? "" : "; ").append(esc(reason.asText()));
            }
            if (i == 0 && g.path("kind").asText().equals("device")) {
                b.append("<span class=\"note\">verdict ").append(esc(verdicts.getOrDefault(g.path("device").asText(), "?")))
                        .append(g.path("mayWarn").asBoolean(true) ? "" : ", warnings not allowed");
                if (Fmt.has(g, "minAcceleratorShare")) {
                    b.append(", accelerator share ").append(Fmt.has(g, "acceleratorShare")
                            ? Fmt.percent(g.path("acceleratorShare").asDouble()) : "none").append(" (wanted ")
                            .append(Fmt.percent(g.path("minAcceleratorShare").asDouble())).append(')');
                }
                b.append("</span>");
            } else if (i == 0) {
                b.append("<span class=\"note\">accuracy gate met</span>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    private static void devicesTable(StringBuilder b, JsonNode r) {
        b.append("<h2>Devices</h2>\n<table id=\"devices\"><thead><tr><th>Device</th><th>Verdict</th>")
                .append("<th class=\"num\">Peak memory (est.)</th><th class=\"num\">Budget</th>")
                .append("<th>Best accelerator, share of MACs</th><th class=\"num\">Latency (est.)</th></tr></thead><tbody>\n");
        for (JsonNode d : r.path("check").path("devices")) {
            JsonNode mem = d.path("memory");
            String v = d.path("verdict").asText();
            b.append("<tr><td>").append(esc(d.path("id").asText())).append("<div class=\"note\">")
                    .append(esc(d.path("name").asText())).append(", ORT ").append(esc(d.path("onnxruntime").asText()))
                    .append("</div></td><td><span class=\"sev ").append(esc(v)).append("\">").append(esc(v))
                    .append("</span></td><td class=\"num\">").append(Fmt.bytes(mem.path("totalBytes").asLong()))
                    .append("</td><td class=\"num\">")
                    .append(Fmt.has(mem, "budgetBytes") ? Fmt.bytes(mem.path("budgetBytes").asLong()) : "unknown")
                    .append("</td><td>").append(esc(MarkdownRenderer.accelerator(d))).append("</td><td class=\"num\">")
                    .append(Fmt.has(d, "latency") ? "~" + Fmt.num(d.path("latency").path("milliseconds").asDouble(), 1)
                            + " ms" : "-")
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    // ---- device lab (the report's optional lab section) -------------------------------------------

    private static void labSection(StringBuilder b, JsonNode r) {
        JsonNode lab = r.path("lab");
        if (!lab.isObject()) {
            return;
        }
        List<LabSection.Row> rows = LabSection.rows(r);
        long disagree = rows.stream().filter(x -> !x.agrees()).count();
        b.append("<h2>Device lab</h2>\n<p class=\"meta\">")
                .append(disagree == 0 ? "<span class=\"sev pass\">agree</span>every run agrees with the check"
                        : "<span class=\"sev fail\">disagree</span>" + disagree + " of " + rows.size()
                                + " runs disagree with the check")
                .append(" · containers with each profile's memory limit and CPU quota · ")
                .append(esc(lab.path("image").asText())).append(", ").append(lab.path("hostCpus").asLong())
                .append(" host CPUs, cgroup ").append(esc(lab.path("cgroup").asText()));
        if (Fmt.has(lab, "createdAt")) {
            b.append(" · ").append(esc(lab.path("createdAt").asText()));
        }
        b.append("</p>\n");
        labTable(b, rows);
        b.append("<div class=\"grid\">\n");
        labMemoryChart(b, rows);
        b.append("</div>\n<p class=\"note\">Session RSS increase is what the estimate predicts; the cgroup peak adds ")
                .append("the JVM and runtime around the session. The latency ratio compares an x86 container given the ")
                .append("device's nominal CPU throughput with the check's estimate; it is informational ")
                .append("(docs/device-lab.md).</p>\n");
    }

    private static void labTable(StringBuilder b, List<LabSection.Row> rows) {
        // Eleven columns: estimate with budget and latency with its estimate share a cell, so the
        // table fits the page; report.md has one column each.
        b.append("<div class=\"scroll\"><table id=\"lab\"><thead><tr><th>Device</th><th>Model</th>")
                .append("<th class=\"num\">Limit</th><th class=\"num\">CPUs</th>")
                .append("<th class=\"num\">Estimate / budget</th><th>Predicted</th><th>Outcome</th>")
                .append("<th class=\"num\">cgroup peak</th><th class=\"num\">Session RSS Δ</th>")
                .append("<th class=\"num\">Latency: median / est. (ratio)</th><th>Agrees</th></tr></thead><tbody>\n");
        for (LabSection.Row x : rows) {
            b.append("<tr><td>").append(esc(x.device())).append("</td><td>").append(esc(x.model()))
                    .append("</td><td class=\"num\">").append(Fmt.bytes(x.limitBytes()))
                    .append("</td><td class=\"num\">").append(esc(x.cpus()))
                    .append("</td><td class=\"num\">").append(Fmt.bytes(x.estimateBytes())).append(" / ")
                    .append(Fmt.bytes(x.budgetBytes())).append("</td><td>").append(x.predictedFit() ? "fits" : "does not fit")
                    .append("</td><td>").append(esc(x.outcomeText())).append("</td><td class=\"num\">")
                    .append(esc(x.peakText())).append("</td><td class=\"num\">").append(esc(x.rssText()))
                    .append("</td><td class=\"num\">").append(esc(x.latencyText())).append(" / ")
                    .append(esc(x.estimatedLatencyText()))
                    .append(x.latencyRatio() == null ? "" : " (" + esc(x.ratioText()) + ")")
                    .append("</td><td>").append(x.agrees() ? "<span class=\"sev pass\">yes</span>"
                            : "<span class=\"sev fail\">no</span>")
                    .append("</td></tr>\n");
        }
        b.append("</tbody></table></div>\n");
    }

    /**
     * Measured vs estimated memory, one pair of bars per lab run on one linear scale: the estimate,
     * and the session's RSS increase (or, for a run killed at its limit, the cgroup peak where it
     * was killed); a dashed line marks the model budget when it is within the scale.
     */
    private static void labMemoryChart(StringBuilder b, List<LabSection.Row> rows) {
        String caption = "Device lab: measured vs estimated memory per device run";
        b.append("<figure><figcaption>").append(esc(caption)).append("</figcaption>\n");
        double max = 1;
        for (LabSection.Row x : rows) {
            max = Math.max(max, Math.max(x.estimateBytes(), Math.max(x.sessionRssIncreaseBytes(), measuredForChart(x))));
        }
        max *= 1.1;
        int plot = W - 200;
        int row = 50;
        int h = rows.size() * row + 22;
        b.append("<svg class=\"chart\" data-chart=\"lab-memory\" role=\"img\" width=\"").append(W)
                .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(W).append(' ').append(h)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").append(esc(caption)).append("</title>\n");
        for (int i = 0; i < rows.size(); i++) {
            LabSection.Row x = rows.get(i);
            int y = i * row;
            String label = x.device() + " · " + x.model();
            b.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(esc(clip(label, 80))).append("</text>");
            labBar(b, y + 16, plot, x.estimateBytes() / max, BLUE, label + ": estimate " + Fmt.bytes(x.estimateBytes()),
                    "est. " + Fmt.bytes(x.estimateBytes()));
            long measured = x.sessionRssIncreaseBytes() >= 0 ? x.sessionRssIncreaseBytes() : measuredForChart(x);
            String text = x.sessionRssIncreaseBytes() >= 0 ? "RSS Δ " + Fmt.bytes(measured)
                    : measured > 0 ? "killed at " + Fmt.bytes(measured) + (x.peakForced() ? " (forced)" : "") : "not run";
            labBar(b, y + 31, plot, Math.max(0, measured) / max, x.agrees() ? GREEN : RED,
                    label + ": " + text + ", " + x.outcomeText(), text);
            if (x.budgetBytes() > 0 && x.budgetBytes() <= max) {
                double mx = x.budgetBytes() / max * plot;
                b.append("<line x1=\"").append(Fmt.num(mx, 1)).append("\" y1=\"").append(y + 14).append("\" x2=\"")
                        .append(Fmt.num(mx, 1)).append("\" y2=\"").append(y + 45)
                        .append("\" stroke=\"#212529\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>\n");
            }
        }
        b.append("<text class=\"muted\" x=\"0\" y=\"").append(h - 6)
                .append("\">blue: estimate · green: measured, agrees · red: disagrees · dashed: model budget</text>\n");
        b.append("</svg></figure>\n");
    }

    /** The cgroup peak of a run that did not finish (killed or stalled at the limit), else -1. */
    private static long measuredForChart(LabSection.Row x) {
        return x.sessionRssIncreaseBytes() < 0 ? x.peakBytes() : -1;
    }

    private static void labBar(StringBuilder b, int y, int plot, double share, String colour, String title, String text) {
        double len = Math.max(0, Math.min(1, share)) * plot;
        b.append("<rect x=\"0\" y=\"").append(y).append("\" width=\"").append(plot)
                .append("\" height=\"12\" rx=\"2\" fill=\"#f1f3f5\"/>");
        b.append("<rect class=\"mark\" x=\"0\" y=\"").append(y).append("\" width=\"").append(Fmt.num(Math.max(len, 2), 1))
                .append("\" height=\"12\" rx=\"2\" fill=\"").append(colour).append("\"><title>").append(esc(title))
                .append("</title></rect>");
        b.append("<text class=\"muted\" x=\"").append(plot + 8).append("\" y=\"").append(y + 10).append("\">")
                .append(esc(text)).append("</text>\n");
    }

    // ---- charts ----------------------------------------------------------------------------------

    private record Bar(String label, double value, String text, String colour) {}

    /**
     * Horizontal bars, each row a label line over its bar, so long device and node names need no
     * clipping. {@code markers} are optional reference lines, one per row (null for none).
     */
    private static void barChart(StringBuilder b, String id, String caption, List<Bar> bars, double max,
            List<Double> markers, String markerLabel) {
        b.append("<figure><figcaption>").append(esc(caption)).append("</figcaption>\n");
        if (bars.isEmpty()) {
            b.append("<p class=\"note\">Nothing to show.</p></figure>\n");
            return;
        }
        int plot = W - 200;
        int h = bars.size() * ROW + (markerLabel == null ? 4 : 22);
        b.append("<svg class=\"chart\" data-chart=\"").append(id).append("\" role=\"img\" width=\"").append(W)
                .append("\" height=\"").append(h).append("\" viewBox=\"0 0 ").append(W).append(' ').append(h)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").append(esc(caption)).append("</title>\n");
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int y = i * ROW;
            double len = max > 0 ? Math.max(0, Math.min(1, bar.value / max)) * plot : 0;
            b.append("<text x=\"0\" y=\"").append(y + 12).append("\">").append(esc(clip(bar.label, 80)))
                    .append("</text>");
            b.append("<rect x=\"0\" y=\"").append(y + 16).append("\" width=\"").append(plot)
                    .append("\" height=\"14\" rx=\"2\" fill=\"#f1f3f5\"/>");
            b.append("<rect class=\"mark\" x=\"0\" y=\"").append(y + 16).append("\" width=\"")
                    .append(Fmt.num(Math.max(len, 2), 1)).append("\" height=\"14\" rx=\"2\" fill=\"")
                    .append(bar.colour).append("\"><title>").append(esc(bar.label)).append(": ").append(esc(bar.text))
                    .append("</title></rect>");
            b.append("<text class=\"muted\" x=\"").append(plot + 8).append("\" y=\"").append(y + 27)
                    .append("\">").append(esc(bar.text)).append("</text>\n");
            if (markers != null && markers.get(i) != null && max > 0) {
                double mx = Math.min(1, markers.get(i) / max) * plot;
                b.append("<line x1=\"").append(Fmt.num(mx, 1)).append("\" y1=\"").append(y + 13).append("\" x2=\"")
                        .append(Fmt.num(mx, 1)).append("\" y2=\"").append(y + 33)
                        .append("\" stroke=\"#212529\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>\n");
            }
        }
        if (markerLabel != null) {
            b.append("<text class=\"muted\" x=\"0\" y=\"").append(h - 6).append("\">").append(esc(markerLabel))
                    .append("</text>\n");
        }
        b.append("</svg></figure>\n");
    }

    private static void memoryChart(StringBuilder b, JsonNode r) {
        List<Bar> bars = new ArrayList<>();
        List<Double> budgets = new ArrayList<>();
        double max = 1;
        for (JsonNode d : r.path("check").path("devices")) {
            JsonNode mem = d.path("memory");
            long total = mem.path("totalBytes").asLong();
            Double budget = Fmt.has(mem, "budgetBytes") && mem.path("budgetBytes").asLong() > 0
                    ? mem.path("budgetBytes").asDouble() : null;
            // Bars are shares of each device's own budget, so a 10 MiB model on a 2 GiB phone and
            // on a 80 MiB one are comparable at a glance; the dashed line is 100% of the budget.
            double ratio = budget == null ? 0 : total / budget;
            String colour = budget == null ? GREY : ratio > 1 ? RED : ratio > 0.8 ? AMBER : GREEN;
            bars.add(new Bar(d.path("id").asText(), ratio, Fmt.bytes(total) + (budget == null ? ", budget unknown"
                    : " of " + Fmt.bytes(budget.longValue()) + " (" + Fmt.percent(ratio) + ")"), colour));
            budgets.add(budget == null ? null : 1.0);
            max = Math.max(max, ratio);
        }
        barChart(b, "memory", "Peak memory estimate as a share of each device's model budget", bars, max * 1.05,
                budgets, "dashed line: 100% of the device's model budget");
    }

    private static void acceleratorChart(StringBuilder b, JsonNode r) {
        List<Bar> bars = new ArrayList<>();
        for (JsonNode d : r.path("check").path("devices")) {
            for (JsonNode a : d.path("accelerators")) {
                boolean known = Fmt.has(a, "macShare");
                double share = known ? a.path("macShare").asDouble() : 0;
                String text = known ? Fmt.percent(share) + " of " + Fmt.count(a.path("macsTotal").asLong()) + " MACs"
                        : a.path("nodesTaken").asLong() + "/" + a.path("nodesTotal").asLong() + " nodes";
                bars.add(new Bar(d.path("id").asText() + " · " + a.path("executionProvider").asText(), share, text,
                        !known ? GREY : share >= 0.9 ? GREEN : share >= 0.5 ? AMBER : RED));
            }
        }
        barChart(b, "accelerator", "Accelerator share of MACs, per device and execution provider", bars, 1.0, null, null);
    }

    private static void qualityCharts(StringBuilder b, JsonNode r) {
        JsonNode q = r.path("quantization");
        if (!q.isObject()) {
            b.append("<figure><figcaption>Quantization quality</figcaption><p class=\"note\">The model was not quantized in this build.</p></figure>\n");
            return;
        }
        JsonNode gate = q.path("gate");
        Double min = gate.isObject() && gate.path("min_cosine").isNumber() ? gate.path("min_cosine").asDouble() : null;
        double lo = 1;
        for (JsonNode o : q.path("quality")) {
            if (o.path("mean_cosine").isNumber()) {
                lo = Math.min(lo, o.path("mean_cosine").asDouble());
            }
        }
        if (min != null) {
            lo = Math.min(lo, min);
        }
        // The interesting range is near 1: the axis starts a little below the worst value or the gate.
        double floor = Math.max(0, Math.floor((lo - 0.005) * 100) / 100);
        List<Bar> bars = new ArrayList<>();
        List<Double> marks = new ArrayList<>();
        for (JsonNode o : q.path("quality")) {
            boolean known = o.path("mean_cosine").isNumber();
            double c = known ? o.path("mean_cosine").asDouble() : floor;
            bars.add(new Bar(o.path("output").asText(), c - floor, known ? Fmt.num(c, 4) : "unknown",
                    !known ? GREY : min != null && c < min ? RED : GREEN));
            marks.add(min == null ? null : min - floor);
        }
        barChart(b, "quality", "Quality per output: mean cosine similarity to the float model (axis from "
                + Fmt.num(floor, 2) + " to 1)", bars, 1 - floor, marks, min == null ? null
                : "dashed line: the accuracy gate, mean cosine " + Fmt.num(min, 4));
        if (q.path("warnings").size() > 0) {
            b.append("<ul class=\"note\" id=\"quantization-warnings\">");
            for (JsonNode w : q.path("warnings")) {
                b.append("<li>").append(esc(w.asText())).append("</li>");
            }
            b.append("</ul>\n");
        }
        List<Bar> kept = new ArrayList<>();
        double maxKept = 0;
        // Quality per kept layer: the cosine each layer alone gained when mixed precision kept it
        // (reports from before that figure existed chart the bytes instead).
        boolean gains = gate.path("kept").size() > 0;
        for (JsonNode k : gate.path("kept")) {
            gains &= k.path("cosine_gain").isNumber();
        }
        for (JsonNode k : gate.path("kept")) {
            long fb = k.path("float_bytes").asLong();
            String name = k.path("node").asText() + " (" + k.path("precision").asText() + ", "
                    + Fmt.bytes(k.path("stored_bytes").asLong()) + ")";
            if (gains) {
                double g = k.path("cosine_gain").asDouble();
                kept.add(new Bar(name, Math.max(0, g), (g >= 0 ? "+" : "") + Fmt.num(g, 4), BLUE));
                maxKept = Math.max(maxKept, g);
            } else {
                kept.add(new Bar(k.path("node").asText() + " — " + k.path("reason").asText(), fb, Fmt.bytes(fb), BLUE));
                maxKept = Math.max(maxKept, fb);
            }
        }
        if (gate.isObject()) {
            barChart(b, "kept-layers", gains
                    ? "Quality per kept layer: mean cosine it alone gained when kept in higher precision"
                    : "Layers kept in float to meet the gate (bytes each costs)", kept, maxKept > 0 ? maxKept : 1, null,
                    null);
        }
    }

    private static void sizeChart(StringBuilder b, JsonNode r) {
        JsonNode s = r.path("sizes");
        long before = s.path("sourceBytes").asLong();
        long after = s.path("modelBytes").asLong();
        List<Bar> bars = List.of(new Bar("source model", before, Fmt.bytes(before), GREY),
                new Bar("shipped model", after, Fmt.bytes(after) + (before > 0 && after != before
                        ? " (" + Fmt.percent((double) after / before) + " of source)" : ""), BLUE));
        barChart(b, "size", "Model size before and after", bars, Math.max(before, after), null, null);
    }

    private static void findings(StringBuilder b, JsonNode r) {
        b.append("<h2>Findings</h2>\n");
        for (JsonNode d : r.path("check").path("devices")) {
            if (d.path("findings").size() == 0) {
                continue;
            }
            b.append("<details").append(d.path("verdict").asText().equals("pass") ? "" : " open").append("><summary><b>")
                    .append(esc(d.path("id").asText())).append("</b> — ").append(d.path("findings").size())
                    .append(" finding").append(d.path("findings").size() == 1 ? "" : "s")
                    .append("</summary>\n<ul class=\"findings\">\n");
            for (JsonNode f : d.path("findings")) {
                String sev = f.path("severity").asText();
                b.append("<li><span class=\"sev ").append(esc(sev)).append("\">").append(esc(sev)).append("</span><code>")
                        .append(esc(f.path("code").asText())).append("</code> ").append(esc(f.path("message").asText()));
                if (Fmt.has(f, "fix")) {
                    b.append("<div class=\"note\">Fix: ").append(esc(f.path("fix").asText())).append("</div>");
                }
                b.append("</li>\n");
            }
            b.append("</ul></details>\n");
        }
    }

    private static void fallbacks(StringBuilder b, JsonNode r) {
        Set<String> devices = new LinkedHashSet<>();
        Set<String> eps = new java.util.TreeSet<>();
        StringBuilder rows = new StringBuilder();
        for (JsonNode d : r.path("check").path("devices")) {
            String id = d.path("id").asText();
            for (JsonNode a : d.path("accelerators")) {
                String ep = a.path("executionProvider").asText();
                for (JsonNode f : a.path("fallbacks")) {
                    devices.add(id);
                    eps.add(ep);
                    rows.append("<tr data-device=\"").append(esc(id)).append("\" data-ep=\"").append(esc(ep))
                            .append("\"><td>").append(esc(id)).append("</td><td>").append(esc(ep)).append("</td><td><code>")
                            .append(esc(f.path("node").asText())).append("</code></td><td>").append(esc(f.path("op").asText()))
                            .append("</td><td>").append(esc(f.path("reason").asText())).append("</td><td>")
                            .append(esc(f.path("detail").asText())).append("</td><td class=\"num\">")
                            .append(Fmt.count(f.path("macs").asLong())).append("</td></tr>\n");
                }
            }
        }
        b.append("<h2>Nodes that fall back to the CPU</h2>\n");
        if (rows.length() == 0) {
            b.append("<p class=\"note\">Every accelerator takes every node.</p>\n");
            return;
        }
        b.append("<div class=\"filters\"><input id=\"fb-q\" type=\"search\" placeholder=\"Filter by node, op, reason…\" aria-label=\"Filter\">")
                .append("<select id=\"fb-device\" aria-label=\"Device\"><option value=\"\">all devices</option>");
        devices.forEach(x -> b.append("<option>").append(esc(x)).append("</option>"));
        b.append("</select><select id=\"fb-ep\" aria-label=\"Execution provider\"><option value=\"\">all execution providers</option>");
        eps.forEach(x -> b.append("<option>").append(esc(x)).append("</option>"));
        b.append("</select><span id=\"fb-count\" class=\"note\"></span></div>\n")
                .append("<table id=\"fallbacks\"><thead><tr><th>Device</th><th>Execution provider</th><th>Node</th><th>Op</th>")
                .append("<th>Reason</th><th>Detail</th><th class=\"num\">MACs</th></tr></thead><tbody>\n")
                .append(rows).append("</tbody></table>\n");
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }

    private static String esc(String s) {
        return Fmt.escapeXml(s);
    }

    static String sha256(String s) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
