package dev.satchel.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Golden files under src/test/resources/golden; {@code -Dsatchel.golden.regenerate=true} rewrites them. */
final class Goldens {
    private static final Path GOLDEN = Paths.get("src/test/resources/golden");

    private Goldens() {}

    static void assertMatches(String name, String actual) throws Exception {
        Path f = GOLDEN.resolve(name);
        if (Boolean.getBoolean("satchel.golden.regenerate")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(f, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(f, StandardCharsets.UTF_8), actual, name + " differs from its golden file");
    }
}
