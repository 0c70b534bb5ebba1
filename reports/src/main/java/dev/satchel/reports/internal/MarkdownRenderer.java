package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** report.md: compact enough for a PR comment or a CI step summary. */
public final class MarkdownRenderer {
    private MarkdownRenderer() {}

    public static String render(JsonNode r) {
        StringBuilder b = new StringBuilder();
        JsonNode model = r.path("model");
        b.append("### Satchel: ").append(r.path("passed").asBoolean() ? "ready to ship" : "NOT shipped")
                .append(" — `").append(Fmt.md(model.path("source").asText())).append("`\n\n");
        JsonNode sizes = r.path("sizes");
        long src = sizes.path("sourceBytes").asLong();
        long shipped = sizes.path("modelBytes").asLong();
        b.append(Fmt.bytes(src));
        if (src != shipped) {
            b.append(" → ").append(Fmt.bytes(shipped));
        }
        b.append(" · ").append(model.path("nodes").asLong()).append(" nodes · ")
                .append(Fmt.count(model.path("parameters").asLong())).append(" parameters · IR ")
                .append(model.path("irVersion").asLong());
        model.path("opsets").properties().forEach(e -> b.append(" · ").append(e.getKey()).append(' ')
                .append(e.getValue().asLong()));
        b.append(" · sha256 `").append(model.path("sha256").asText().substring(0,
                Math.min(12, model.path("sha256").asText().length()))).append("`\n\n");

        Map<String, JsonNode> gateByDevice = new HashMap<>();
        for (JsonNode g : r.path("gates")) {
            if (g.path("kind").asText().equals("device")) {
                gateByDevice.put(g.path("device").asText(), g);
            }
        }
        b.append("| Device | Verdict | Gate | Peak memory (est.) | Budget | Accelerator, share of MACs | Latency (est.) |\n");
        b.append("|---|---|---|--:|--:|---|--:|\n");
        for (JsonNode d : r.path("check").path("devices")) {
            JsonNode g = gateByDevice.get(d.path("id").asText());
            String gate = g == null ? "-" : !g.path("required").asBoolean() ? "info only"
                    : g.path("passed").asBoolean() ? "pass" : "**FAIL**";
            JsonNode mem = d.path("memory");
            b.append("| ").append(Fmt.md(d.path("id").asText()))
                    .append(" | ").append(verdict(d.path("verdict").asText()))
                    .append(" | ").append(gate)
                    .append(" | ").append(Fmt.bytes(mem.path("totalBytes").asLong()))
                    .append(" | ").append(Fmt.has(mem, "budgetBytes") ? Fmt.bytes(mem.path("budgetBytes").asLong()) : "unknown")
                    .append(" | ").append(Fmt.md(accelerator(d)))
                    .append(" | ").append(Fmt.has(d, "latency")
                            ? "~" + Fmt.num(d.path("latency").path("milliseconds").asDouble(), 1) + " ms" : "-")
                    .append(" |\n");
        }
        b.append('\n');
        lab(b, r);

        JsonNode q = r.path("quantization");
        if (q.isObject()) {
            b.append("**Quantization** ").append(Fmt.md(q.path("mode").asText())).append(": ")
                    .append(plural(q.path("layers_quantized").asLong(), "layer")).append(" quantized, ")
                    .append(q.path("layers_float").asLong()).append(" float");
            JsonNode gate = q.path("gate");
            if (gate.isObject()) {
                b.append("; accuracy gate mean cosine ≥ ").append(plain(gate.path("min_cosine"))).append(' ')
                        .append(gate.path("passed").asBoolean() ? "passed" : "**FAILED**");
                int kept = gate.path("kept").size();
                if (kept > 0) {
                    b.append(" (").append(kept).append(" layer").append(kept == 1 ? "" : "s").append(" kept float, ")
                            .append(Fmt.bytes(gate.path("kept_bytes").asLong())).append(')');
                }
            }
            b.append(".\n\n");
            if (q.path("quality").size() > 0) {
                b.append("| Output | Mean cosine | Min cosine | SQNR dB | Top-1 agreement |\n|---|--:|--:|--:|--:|\n");
                for (JsonNode o : q.path("quality")) {
                    b.append("| ").append(Fmt.md(o.path("output").asText())).append(" | ")
                            .append(numOrDash(o, "mean_cosine", 4)).append(" | ")
                            .append(numOrDash(o, "min_cosine", 4)).append(" | ")
                            .append(numOrDash(o, "sqnr_db", 1)).append(" | ")
                            .append(numOrDash(o, "top1_agreement", 3)).append(" |\n");
                }
                b.append('\n');
            }
            // What the quantizer said about its own measurement (generated inputs, an output that
            // stays near zero): without it a reader cannot tell how far to trust the figures above.
            if (q.path("warnings").size() > 0) {
                b.append("Quantization warnings:\n\n");
                for (JsonNode w : q.path("warnings")) {
                    b.append("- ").append(Fmt.md(w.asText())).append('\n');
                }
                b.append('\n');
            }
        }

        StringBuilder failed = new StringBuilder();
        for (JsonNode g : r.path("gates")) {
            if (!g.path("passed").asBoolean() && g.path("required").asBoolean()) {
                for (JsonNode reason : g.path("reasons")) {
                    failed.append("- `").append(g.path("id").asText()).append("`: ").append(Fmt.md(reason.asText()))
                            .append('\n');
                }
            }
        }
        if (failed.length() > 0) {
            b.append("**Failed gates**\n\n").append(failed).append('\n');
        }

        int fails = 0;
        int warns = 0;
        int infos = 0;
        StringBuilder list = new StringBuilder();
        for (JsonNode d : r.path("check").path("devices")) {
            for (JsonNode f : d.path("findings")) {
                String sev = f.path("severity").asText();
                if (sev.equals("info")) {
                    infos++;
                    continue;
                }
                if (sev.equals("fail")) {
                    fails++;
                } else {
                    warns++;
                }
                list.append("- **").append(Fmt.md(d.path("id").asText())).append("** ").append(sev).append(" `")
                        .append(f.path("code").asText()).append("`: ").append(Fmt.md(f.path("message").asText()));
                if (Fmt.has(f, "fix")) {
                    list.append(" — fix: ").append(Fmt.md(f.path("fix").asText()));
                }
                list.append('\n');
            }
        }
        if (list.length() > 0) {
            b.append("<details><summary>Findings: ").append(fails).append(" fail, ").append(warns).append(" warn")
                    .append(infos > 0 ? " (" + infos + " info in report.html)" : "").append("</summary>\n\n")
                    .append(list).append("\n</details>\n\n");
        }
        JsonNode bundle = r.path("bundle");
        if (bundle.isObject()) {
            b.append("Bundle `").append(Fmt.md(bundle.path("name").asText())).append("` ")
                    .append(Fmt.md(bundle.path("version").asText())).append(" (`")
                    .append(Fmt.md(bundle.path("file").asText())).append("`)\n\n");
        }
        b.append("<sub>").append(Fmt.md(r.path("tool").asText())).append(" · ").append(r.path("schema").asText())
                .append(" · estimates are labelled (est.); method in docs/checker.md</sub>\n");
        return b.toString();
    }

    /** The device lab's measured-vs-estimated table, when the report has a lab section. */
    private static void lab(StringBuilder b, JsonNode r) {
        JsonNode lab = r.path("lab");
        if (!lab.isObject()) {
            return;
        }
        java.util.List<LabSection.Row> rows = LabSection.rows(r);
        long disagree = rows.stream().filter(x -> !x.agrees()).count();
        b.append("**Device lab** (measured in containers with each profile's memory limit and CPU quota): ")
                .append(disagree == 0 ? "every run agrees with the check" : "**" + disagree + " of " + rows.size()
                        + " runs disagree with the check**")
                .append(" · ").append(Fmt.md(lab.path("image").asText())).append(", ")
                .append(lab.path("hostCpus").asLong()).append(" host CPUs, cgroup ").append(Fmt.md(lab.path("cgroup").asText()))
                .append("\n\n");
        b.append("| Device | Limit | CPUs | Model | Estimate | Budget | Predicted | Outcome | cgroup peak | Session RSS Δ "
                + "| Latency (median) | Latency (est.) | Measured/est. latency | Agrees |\n");
        b.append("|---|--:|--:|---|--:|--:|---|---|--:|--:|--:|--:|--:|---|\n");
        for (LabSection.Row x : rows) {
            b.append("| ").append(Fmt.md(x.device()))
                    .append(" | ").append(Fmt.bytes(x.limitBytes()))
                    .append(" | ").append(Fmt.md(x.cpus()))
                    .append(" | ").append(Fmt.md(x.model()))
                    .append(" | ").append(Fmt.bytes(x.estimateBytes()))
                    .append(" | ").append(Fmt.bytes(x.budgetBytes()))
                    .append(" | ").append(x.predictedFit() ? "fits" : "does not fit")
                    .append(" | ").append(Fmt.md(x.outcomeText()))
                    .append(" | ").append(x.peakText())
                    .append(" | ").append(x.rssText())
                    .append(" | ").append(x.latencyText())
                    .append(" | ").append(x.estimatedLatencyText())
                    .append(" | ").append(x.ratioText())
                    .append(" | ").append(x.agrees() ? "yes" : "**NO**")
                    .append(" |\n");
        }
        b.append("\n<sub>Agreement: a model predicted to fit ran; one predicted not to fit was refused and, forced, "
                + "did not fit. The latency ratio is informational (x86 host, docs/device-lab.md).</sub>\n\n");
    }

    private static String plain(JsonNode n) {
        return n.isNumber() ? n.decimalValue().stripTrailingZeros().toPlainString() : n.asText();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String numOrDash(JsonNode o, String field, int places) {
        return Fmt.has(o, field) && o.get(field).isNumber() ? Fmt.num(o.get(field).asDouble(), places) : "-";
    }

    private static String verdict(String v) {
        return switch (v) {
            case "fail" -> "**fail**";
            default -> v;
        };
    }

    static String accelerator(JsonNode d) {
        String pref = Fmt.text(d, "preferredExecutionProvider", null);
        if (pref == null) {
            return "CPU only";
        }
        for (JsonNode a : d.path("accelerators")) {
            if (a.path("executionProvider").asText().equals(pref)) {
                String share = Fmt.has(a, "macShare") ? Fmt.percent(a.path("macShare").asDouble())
                        : a.path("nodesTaken").asLong() + "/" + a.path("nodesTotal").asLong() + " nodes";
                return pref + " " + share + ", " + a.path("partitions").asLong() + " part.";
            }
        }
        return pref;
    }
}
