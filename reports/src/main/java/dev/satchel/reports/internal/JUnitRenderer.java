package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * junit.xml: one {@code <testsuite>} per device, one {@code <testcase>} per check (memory,
 * storage, runtime, accelerator, dtype, latency, requirements), plus a quantization suite. A
 * fail finding fails its case; warn and info findings go to {@code <system-out>}. Devices that are
 * not required report their failures as {@code <skipped>}, so CI shows them without failing. A
 * report with a device lab section adds a {@code satchel.lab} suite, one case per lab run.
 * Shape: the common Ant/Jenkins JUnit XML (reports/src/test/resources/junit.xsd checks it).
 */
public final class JUnitRenderer {
    private JUnitRenderer() {}

    private record Case(String classname, String name, String failureType, String failure, String skipped, String out) {}

    public static String render(JsonNode r) {
        StringBuilder body = new StringBuilder();
        int totalTests = 0;
        int totalFailures = 0;
        int totalSkipped = 0;
        List<List<Case>> suites = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode g : r.path("gates")) {
            if (g.path("kind").asText().equals("quantization")) {
                names.add("satchel.quantization");
                String reasons = join(g.path("reasons"));
                suites.add(List.of(new Case("satchel.quantization", "accuracy-gate",
                        g.path("passed").asBoolean() ? null : "quantization-gate",
                        g.path("passed").asBoolean() ? null : reasons, null,
                        g.path("passed").asBoolean() ? reasons : "")));
            }
        }
        for (JsonNode d : r.path("check").path("devices")) {
            String id = d.path("id").asText();
            JsonNode gate = null;
            for (JsonNode g : r.path("gates")) {
                if (g.path("kind").asText().equals("device") && g.path("device").asText().equals(id)) {
                    gate = g;
                }
            }
            boolean required = gate == null || gate.path("required").asBoolean(true);
            String cls = "satchel.device." + id;
            List<Case> cases = new ArrayList<>();
            for (String check : Checks.ALL) {
                StringBuilder fails = new StringBuilder();
                StringBuilder out = new StringBuilder();
                String firstFail = null;
                for (JsonNode f : d.path("findings")) {
                    String code = f.path("code").asText();
                    if (!Checks.of(code).equals(check)) {
                        continue;
                    }
                    String line = f.path("severity").asText() + " " + code + ": " + f.path("message").asText()
                            + (Fmt.has(f, "fix") ? "\n  fix: " + f.path("fix").asText() : "") + "\n";
                    if (f.path("severity").asText().equals("fail")) {
                        fails.append(line);
                        firstFail = firstFail == null ? code : firstFail;
                    } else {
                        out.append(line);
                    }
                }
                if (firstFail != null && !required) {
                    cases.add(new Case(cls, check, null, null, "device not required: " + fails.toString().trim(),
                            out.toString()));
                } else {
                    cases.add(new Case(cls, check, firstFail, firstFail == null ? null : fails.toString(), null,
                            out.toString()));
                }
            }
            if (gate != null) {
                boolean ok = gate.path("passed").asBoolean();
                String reasons = join(gate.path("reasons"));
                if (!ok && !required) {
                    cases.add(new Case(cls, "requirements", null, null, "device not required: " + reasons, ""));
                } else {
                    cases.add(new Case(cls, "requirements", ok ? null : "device-requirement", ok ? null : reasons,
                            null, ""));
                }
            }
            names.add(cls);
            suites.add(cases);
        }
        labSuite(r, names, suites);
        for (int i = 0; i < suites.size(); i++) {
            List<Case> cases = suites.get(i);
            long failures = cases.stream().filter(c -> c.failure != null).count();
            long skipped = cases.stream().filter(c -> c.skipped != null).count();
            totalTests += cases.size();
            totalFailures += (int) failures;
            totalSkipped += (int) skipped;
            body.append("  <testsuite name=\"").append(Fmt.escapeXml(names.get(i))).append("\" tests=\"")
                    .append(cases.size()).append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"")
                    .append(skipped).append("\" time=\"0\">\n");
            for (Case c : cases) {
                body.append("    <testcase classname=\"").append(Fmt.escapeXml(c.classname)).append("\" name=\"")
                        .append(Fmt.escapeXml(c.name)).append("\" time=\"0\"");
                if (c.failure == null && c.skipped == null && c.out.isEmpty()) {
                    body.append("/>\n");
                    continue;
                }
                body.append(">\n");
                if (c.failure != null) {
                    body.append("      <failure type=\"").append(Fmt.escapeXml(c.failureType)).append("\" message=\"")
                            .append(Fmt.escapeXml(firstLine(c.failure))).append("\">")
                            .append(Fmt.escapeXml(c.failure.trim())).append("</failure>\n");
                }
                if (c.skipped != null) {
                    body.append("      <skipped message=\"").append(Fmt.escapeXml(firstLine(c.skipped))).append("\"/>\n");
                }
                if (!c.out.isEmpty()) {
                    body.append("      <system-out>").append(Fmt.escapeXml(c.out.trim())).append("</system-out>\n");
                }
                body.append("    </testcase>\n");
            }
            body.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"satchel\" tests=\"" + totalTests
                + "\" failures=\"" + totalFailures + "\" errors=\"0\" time=\"0\">\n"
                + body + "</testsuites>\n";
    }

    /**
     * {@code satchel.lab}: one case per device lab run (classname {@code satchel.lab.DEVICE}, name
     * the model), failing with {@code lab-disagreement} when the run disagrees with the check.
     */
    private static void labSuite(JsonNode r, List<String> names, List<List<Case>> suites) {
        if (!r.path("lab").isObject()) {
            return;
        }
        List<Case> cases = new ArrayList<>();
        for (LabSection.Row x : LabSection.rows(r)) {
            String why = x.disagreement();
            cases.add(new Case("satchel.lab." + x.device(), x.model(), why == null ? null : "lab-disagreement", why,
                    null, x.summary()));
        }
        names.add("satchel.lab");
        suites.add(cases);
    }

    private static String join(JsonNode reasons) {
        StringBuilder b = new StringBuilder();
        reasons.forEach(x -> b.append(b.length() == 0 ? "" : "; ").append(x.asText()));
        return b.toString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
