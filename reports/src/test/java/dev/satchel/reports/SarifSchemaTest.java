package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.devices.check.FindingCode;
import dev.satchel.testing.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.sarif against the OASIS SARIF 2.1.0 JSON schema, checked by Debian's python3-jsonschema. */
class SarifSchemaTest {
    private static final String VALIDATE = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            doc = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
            for e in errors:
                print('/'.join(str(p) for p in e.path) + ': ' + e.message, file=sys.stderr)
            sys.exit(1 if errors else 0)
            """;

    @TempDir
    Path dir;

    private void validate(String sarif) throws Exception {
        Path f = dir.resolve("r.sarif");
        Files.writeString(f, sarif);
        Python.run(VALIDATE, Paths.get("src/test/resources/sarif-schema-2.1.0.json").toAbsolutePath().toString(),
                f.toString());
    }

    @Test
    void render_sarif_validatesAgainstSarif210Schema() throws Exception {
        validate(ReportFixtures.report(dir).render(ReportFormat.SARIF));
        validate(Report.build(ReportFixtures.inputs(dir, false)).render(ReportFormat.SARIF));
        validate(Report.build(ReportFixtures.labInputs(dir)).render(ReportFormat.SARIF));
    }

    @Test
    void validator_rejectsBrokenSarif_soTheSchemaCanFail() {
        IOException e = assertThrows(IOException.class, () -> validate("{\"version\": \"2.1.0\", \"runs\": [{}]}"));
        assertTrue(e.getMessage().contains("tool"), e.getMessage());
    }

    @Test
    void render_sarif_ruleIdsAreTheStableFindingCodes() throws Exception {
        JsonNode s = new ObjectMapper().readTree(ReportFixtures.report(dir).render(ReportFormat.SARIF));
        JsonNode run = s.path("runs").get(0);
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertEquals(FindingCode.values().length + 2, rules.size());
        for (int i = 0; i < FindingCode.values().length; i++) {
            assertEquals(FindingCode.values()[i].label(), rules.get(i).path("id").asText());
        }
        boolean sawUnused = false;
        for (JsonNode r : run.path("results")) {
            assertEquals(r.path("ruleId").asText(), rules.get(r.path("ruleIndex").asInt()).path("id").asText());
            if (r.path("ruleId").asText().equals("accelerator-unused")) {
                sawUnused = true;
                assertEquals("warning", r.path("level").asText());
                assertEquals("samsung-galaxy-s24-snapdragon", r.path("properties").path("device").asText());
            }
        }
        assertTrue(sawUnused);
        assertTrue(run.path("results").toString().contains("gate-device-requirement"));
    }
}
