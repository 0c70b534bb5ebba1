package dev.satchel.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LabReportTest {
    private static final long MIB = 1024L * 1024;
    static final CpuQuota.Host HOST = new CpuQuota.Host(2, 2.6e9, java.util.Set.of("avx2", "avx-vnni"));

    static LabResult result(long estimateMib, long budgetMib, LabResult.Outcome outcome, Optional<LabResult.Run> forced) {
        Optional<LabResult.Measured> m = outcome == LabResult.Outcome.RAN
                ? Optional.of(new LabResult.Measured(90 * MIB, 120 * MIB, 54 * MIB, 210.5, List.of(14.0, 12.5, 13.0)))
                : Optional.empty();
        return new LabResult("android-go-1gb", 120 * MIB, new CpuQuota(1.54, 2, 64e9, 41.6e9), "tiny", 1000, Map.of("batch", 1L), estimateMib * MIB,
                budgetMib * MIB, estimateMib > budgetMib ? "fail" : "pass", Optional.of(3.25), 0, "up to date", 60 * MIB, 90 * MIB,
                outcome, m, forced);
    }

    @Test
    void agrees_predictedFitAndRan_true() {
        assertTrue(result(47, 80, LabResult.Outcome.RAN, Optional.empty()).agrees());
    }

    @Test
    void agrees_predictedFitButKilled_false() {
        assertFalse(result(47, 80, LabResult.Outcome.OOM_KILLED, Optional.empty()).agrees());
    }

    @Test
    void agrees_predictedNoFitRefusedAndForcedKilled_true() {
        assertTrue(result(144, 80, LabResult.Outcome.REFUSED,
                Optional.of(new LabResult.Run(LabResult.Outcome.OOM_KILLED, 137, 120 * MIB))).agrees());
    }

    @Test
    void agrees_predictedNoFitRefusedButForcedRan_false() {
        // The refusal was right by the claims but the estimate was pessimistic: reported, not hidden.
        assertFalse(result(144, 80, LabResult.Outcome.REFUSED,
                Optional.of(new LabResult.Run(LabResult.Outcome.RAN, 0, 100 * MIB))).agrees());
    }

    @Test
    void agrees_predictedNoFitButInstalledAndRan_false() {
        assertFalse(result(144, 80, LabResult.Outcome.RAN, Optional.empty()).agrees());
    }

    @Test
    void toJson_sameFiguresAsText_schemaAndOrder() throws Exception {
        LabReport r = new LabReport("img", HOST, "v1", List.of(result(47, 80, LabResult.Outcome.RAN, Optional.empty()),
                result(144, 80, LabResult.Outcome.REFUSED,
                        Optional.of(new LabResult.Run(LabResult.Outcome.OOM_KILLED, 137, 120 * MIB)))));
        String json = r.toJson(Instant.parse("2026-01-01T00:00:00Z"));
        assertEquals(json, r.toJson(Instant.parse("2026-01-01T00:00:00Z")));
        JsonObject o = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("satchel.lab/v1", o.string("schema"));
        assertTrue(o.bool("allAgree"));
        JsonObject first = o.array("results").object(0);
        assertEquals("ran", first.string("outcome"));
        assertEquals(66 * MIB, ((Number) first.object("measured").get("sessionRssIncreaseBytes")).longValue());
        assertEquals("13", first.object("measured").get("medianRunMs").toString());
        assertEquals("210.5", first.object("measured").get("sessionMs").toString());
        assertEquals("oom_killed", o.array("results").object(1).object("enforcement").string("outcome"));
        String text = r.toText();
        assertTrue(text.contains("| android-go-1gb | 120.0 MiB | 1.54 | tiny | 47.0 MiB | 80.0 MiB | fits | ran | 90.0 MiB "
                + "| 66.0 MiB | 13.0 ms | 3.3 ms | 4.00 | yes |"), text);
        assertEquals("4", first.get("latencyRatio").toString());
        assertEquals("1.54", first.get("cpus").toString());
        assertEquals("64", first.object("cpuRule").get("deviceGmacPerSecond").toString());
        assertEquals("2600", o.object("hostCpu").get("mhz").toString());
        assertEquals(null, o.array("results").object(1).get("latencyRatio"));
        assertTrue(text.contains("refused; forced: oom_killed (exit 137) | 120.0 MiB (forced)"), text);
    }
}
