package dev.satchel.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The compiled built-in catalogue ({@code profiles/catalogue.json}) must say exactly what the YAML
 * files say. Run with {@code -Dsatchel.updateCatalogue=true} after editing a built-in YAML file.
 */
class CompiledCatalogueTest {
    private static final Path FILE = Path.of("src", "main", "resources", "dev", "satchel", "devices", "profiles",
            "catalogue.json");

    @Test
    void compiledCatalogue_equalsTheYamlFiles() throws Exception {
        ProfileCatalogue yaml = ProfileCatalogue.loadBuiltInFromYaml(ExecutionProviderCatalogue.declaredProviderIds());
        String expected = ProfileCatalogue.compiledJson(yaml);
        if (Boolean.getBoolean("satchel.updateCatalogue") || !Files.exists(FILE)) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        String onDisk = Files.readString(FILE, StandardCharsets.UTF_8);
        assertEquals(expected, onDisk, "catalogue.json is stale; rerun with -Dsatchel.updateCatalogue=true");
        ProfileCatalogue compiled = ProfileCatalogue.fromCompiledJson(onDisk,
                ExecutionProviderCatalogue.declaredProviderIds());
        assertEquals(yaml.all(), compiled.all());
    }

    @Test
    void builtInFiles_areNamedByTheirId() {
        for (DeviceProfile p : ProfileCatalogue.builtIn().all()) {
            assertEquals("built-in:" + p.id() + ".yaml", p.origin());
        }
    }
}
