package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.Python;
import dev.satchel.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/satchel-yaml.schema.json against the committed example and what satchel init writes,
 * checked by python3-yaml and python3-jsonschema (an independent reader of both formats).
 */
class SatchelYamlSchemaTest {
    private static final String VALIDATE = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            doc = yaml.safe_load(open(sys.argv[2]))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
            for e in errors:
                print('/' + '/'.join(str(p) for p in e.path) + ': ' + e.message, file=sys.stderr)
            sys.exit(1 if errors else 0)
            """;

    @TempDir
    Path dir;

    private static void validate(Path yaml) throws Exception {
        Python.run(VALIDATE, Paths.get("../docs/satchel-yaml.schema.json").toAbsolutePath().toString(),
                yaml.toAbsolutePath().toString());
    }

    @Test
    void example_minilm_validates() throws Exception {
        validate(Paths.get("../examples/minilm/satchel.yaml"));
    }

    @Test
    void init_output_validates() throws Exception {
        Files.write(dir.resolve("mlp.onnx"), TinyModels.mlp().toByteArray());
        CliRun r = CliRun.of("init", dir.resolve("mlp.onnx").toString(), "-o", dir.resolve("satchel.yaml").toString());
        assertEquals(0, r.exit(), r.err());
        validate(dir.resolve("satchel.yaml"));
    }

    @Test
    void schema_twoKeySources_rejected() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "model: m.onnx\ndevices: [x]\nbundle: {name: a, version: 1}\n"
                + "signing: {key: k.pem, key-env: SATCHEL_KEY}\n");
        IOException e = assertThrows(IOException.class, () -> validate(f));
        assertTrue(e.getMessage().contains("/signing"), e.getMessage());
    }
}
