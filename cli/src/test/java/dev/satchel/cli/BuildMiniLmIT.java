package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed example (examples/minilm/satchel.yaml: real MiniLM, int8 with the ORT accuracy
 * gate, five devices, throwaway key) built from scratch twice with --no-cache: every step runs
 * both times, quantization included, and the outputs are byte-identical. Timing is in
 * bench/build.sh, not here.
 */
class BuildMiniLmIT {
    @TempDir
    Path dir;

    private static Map<String, String> hashes(Path folder) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.put(folder.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return out;
    }

    @Test
    void build_minilmExampleWithoutCache_twice_byteIdentical() throws Exception {
        Path config = dir.resolve("satchel.yaml");
        Files.copy(Paths.get("../examples/minilm/satchel.yaml"), config);
        CliRun first = CliRun.of("build", config.toString());
        assertEquals(0, first.exit(), first.out() + first.err());
        assertTrue(first.out().contains("satchel build: quantize ") && first.out().contains(" -> "), first.out());
        Map<String, String> a = hashes(dir.resolve("dist"));
        assertTrue(a.containsKey("minilm-1.satchel") && a.containsKey("quantize-report.json"), a.toString());
        CliRun second = CliRun.of("build", config.toString(), "--no-cache");
        assertEquals(0, second.exit(), second.out() + second.err());
        assertTrue(!second.out().contains("skipped"), second.out());
        assertEquals(a, hashes(dir.resolve("dist")));
        String json = Files.readString(dir.resolve("dist/report.json"));
        assertTrue(json.contains("\"schema\" : \"satchel.quantize.report/v1\""), "quantization report embedded");
    }
}
