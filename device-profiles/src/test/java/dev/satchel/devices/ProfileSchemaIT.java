package dev.satchel.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.satchel.testing.Python;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An independent second reading of the profile format: Debian's python3-jsonschema validates every
 * built-in profile (parsed by python3-yaml) against docs/profile.schema.json, and rejects a broken
 * one. Skipped when /usr/bin/python3 lacks jsonschema or yaml (CI installs python3-jsonschema).
 */
class ProfileSchemaIT {
    private static final String SCRIPT = String.join("\n",
            "import glob, json, os, sys, yaml, jsonschema",
            "schema = json.load(open(sys.argv[1]))",
            "v = jsonschema.Draft202012Validator(schema)",
            "bad = []",
            "files = sorted(glob.glob(os.path.join(sys.argv[2], '*.yaml')))",
            "for f in files:",
            "    for e in v.iter_errors(yaml.safe_load(open(f))):",
            "        bad.append('%s: %s: %s' % (os.path.basename(f), list(e.path), e.message[:120]))",
            "broken = yaml.safe_load('id: x\\nname: x\\nclass: fridge\\n')",
            "print(json.dumps({'files': len(files), 'errors': bad,",
            "                  'brokenRejected': not v.is_valid(broken)}))",
            "");

    private static boolean pythonHasModules() {
        try {
            Python.run("import yaml, jsonschema\n");
            return true;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void jsonSchema_everyBuiltInProfile_validatesInPython() throws Exception {
        assumeTrue(pythonHasModules(), "/usr/bin/python3 needs python3-yaml and python3-jsonschema");
        Path profiles = Path.of("src", "main", "resources", "dev", "satchel", "devices", "profiles");
        String out = Python.run(SCRIPT, Path.of("..", "docs", "profile.schema.json").toString(), profiles.toString());
        com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        assertEquals(ProfileCatalogue.builtIn().all().size(), r.get("files").asInt());
        assertEquals(0, r.get("errors").size(), r.get("errors").toString());
        assertEquals(true, r.get("brokenRejected").asBoolean());
    }
}
