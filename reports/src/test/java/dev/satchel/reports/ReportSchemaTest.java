package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.json against docs/report.schema.json (JSON Schema 2020-12), checked by python3-jsonschema. */
class ReportSchemaTest {
    private static final String VALIDATE = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            doc = json.load(open(sys.argv[2]))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
            for e in errors:
                print('/' + '/'.join(str(p) for p in e.path) + ': ' + e.message, file=sys.stderr)
            sys.exit(1 if errors else 0)
            """;

    @TempDir
    Path dir;

    private void validate(String json) throws Exception {
        Path f = dir.resolve("report.json");
        Files.writeString(f, json);
        Python.run(VALIDATE, Paths.get("../docs/report.schema.json").toAbsolutePath().toString(), f.toString());
    }

    @Test
    void build_quantizedAndNot_validateAgainstDocumentedSchema() throws Exception {
        validate(ReportFixtures.report(dir).json());
        validate(Report.build(ReportFixtures.inputs(dir, false)).json());
    }

    @Test
    void build_withLab_validatesAgainstDocumentedSchema() throws Exception {
        validate(Report.build(ReportFixtures.labInputs(dir)).json());
    }

    @Test
    void schema_labRowWithoutOutcome_isRejected() throws Exception {
        String json = Report.build(ReportFixtures.labInputs(dir)).json().replaceFirst("\"outcome\" : \"ran\",", "");
        IOException e = assertThrows(IOException.class, () -> validate(json));
        assertTrue(e.getMessage().contains("'outcome' is a required property"), e.getMessage());
    }

    @Test
    void schema_reportWithoutPassed_isRejected() throws Exception {
        String json = ReportFixtures.report(dir).json().replace("\"passed\" : false,\n  \"model\"", "\"model\"");
        IOException e = assertThrows(IOException.class, () -> validate(json));
        assertTrue(e.getMessage().contains("'passed' is a required property"), e.getMessage());
    }
}
