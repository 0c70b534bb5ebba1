package dev.satchel.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.devices.internal.ProfileBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeps docs/profile.schema.json and docs/profile-schema.md in step with the reader. */
class ProfileSchemaDocTest {
    private static final Path DOCS = Path.of("..", "docs");

    private static Set<String> names(JsonNode properties) {
        Set<String> out = new TreeSet<>();
        properties.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void jsonSchema_propertyNames_matchTheReader() throws Exception {
        JsonNode s = new ObjectMapper().readTree(Files.readString(DOCS.resolve("profile.schema.json")));
        assertEquals(new TreeSet<>(ProfileBinder.TOP_KEYS), names(s.get("properties")));
        assertEquals(new TreeSet<>(ProfileBinder.MEMORY_KEYS), names(s.at("/properties/memory/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.STORAGE_KEYS), names(s.at("/properties/storage/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.CPU_KEYS), names(s.at("/properties/cpu/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.OS_KEYS), names(s.at("/properties/os/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.FACT_KEYS), names(s.at("/$defs/fact/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.ACCELERATOR_KEYS), names(s.at("/$defs/accelerator/properties")));
        assertEquals(new TreeSet<>(ProfileBinder.PEAK_KEYS), names(s.at("/$defs/accelerator/properties/peak/properties")));
        Set<String> limits = new TreeSet<>();
        for (PlatformLimit l : PlatformLimit.values()) {
            limits.add(l.label());
        }
        assertEquals(limits, names(s.at("/properties/limits/properties")));
        Set<String> eps = new TreeSet<>();
        s.at("/$defs/accelerator/properties/execution_providers/items/enum").forEach(n -> eps.add(n.asText()));
        assertEquals(new TreeSet<>(ExecutionProviderCatalogue.builtIn().providerIds()), eps);
        Set<String> evidence = new TreeSet<>();
        s.at("/$defs/fact/properties/evidence/enum").forEach(n -> evidence.add(n.asText()));
        Set<String> expected = new TreeSet<>();
        for (Evidence e : Evidence.values()) {
            expected.add(e.label());
        }
        assertEquals(expected, evidence);
    }

    @Test
    void markdown_documentsEveryProblemCode() throws Exception {
        String md = Files.readString(DOCS.resolve("profile-schema.md"));
        for (ProfileProblem.Code c : ProfileProblem.Code.values()) {
            assertTrue(md.contains("| `" + c.label() + "` |"), c.label());
        }
    }
}
