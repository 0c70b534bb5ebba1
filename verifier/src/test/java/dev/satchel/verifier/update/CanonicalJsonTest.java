package dev.satchel.verifier.update;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.Manifest;
import dev.satchel.verifier.bundle.ManifestParser;
import dev.satchel.verifier.bundle.TestKeys;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static String canon(Object v) {
        return new String(CanonicalJson.encode(v), StandardCharsets.UTF_8);
    }

    @Test
    void encode_olpcRules_onlyQuoteAndBackslashEscaped() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", "line1\nline2\t\"q\" \\ é \uD83D\uDE00");
        m.put("a", List.of(1L, new BigDecimal("2"), true, false));
        m.put("c", null);
        // securesystemslib.formats.encode_canonical gives exactly this: raw control characters.
        assertEquals("{\"a\":[1,2,true,false],\"b\":\"line1\nline2\t\\\"q\\\" \\\\ é \uD83D\uDE00\",\"c\":null}", canon(m));
    }

    @Test
    void encode_keysSortedByCodePoint() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\uFB01", 1L);          // U+FB01, one UTF-16 unit above the surrogates
        m.put("\uD83D\uDE00", 2L);    // U+1F600, sorts after U+FB01 by code point (before it by UTF-16 unit)
        m.put("Z", 3L);
        m.put("_type", 4L);
        assertEquals("{\"Z\":3,\"_type\":4,\"\uFB01\":1,\"\uD83D\uDE00\":2}", canon(m));
    }

    @Test
    void encode_fraction_refused() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(Map.of("x", new BigDecimal("1.5"))));
        assertEquals("{\"x\":8}", canon(Map.of("x", new BigDecimal("8.0"))));
    }

    @Test
    void encode_parsedDocument_sameBytesAsSource() throws Exception {
        String src = "{\"keyval\":{\"public\":\"-----BEGIN PUBLIC KEY-----\\nMFk=\\n-----END PUBLIC KEY-----\\n\"},\"scheme\":\"ecdsa-sha2-nistp256\"}";
        byte[] expected = "{\"keyval\":{\"public\":\"-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n\"},\"scheme\":\"ecdsa-sha2-nistp256\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(expected, CanonicalJson.encode(Json.parse(src)));
    }

    /** The pre-download claim check must agree with the store's rules on the signed manifest. */
    @Test
    void excludes_sameVerdictsAsManifestCompatibility() throws Exception {
        Map<String, Object> m = BundleTestSupport.manifest(TestKeys.generate(3));
        Map<String, Object> compat = new LinkedHashMap<>();
        compat.put("devices", List.of(Map.of("profile", "pixel-8", "compatible", true),
                Map.of("profile", "rpi-4", "compatible", false, "reason", "slow")));
        compat.put("minRamBytes", 1_000_000L);
        compat.put("executionProviders", List.of("nnapi", "cpu"));
        m.put("compatibility", compat);
        Manifest manifest = ManifestParser.parse(Json.writeBytes(m), 1 << 20);
        JsonObject parsed = JsonObject.of(Json.parse(Json.writeBytes(compat)), "");
        List<DeviceFacts> devices = List.of(DeviceFacts.unknown(), DeviceFacts.ofProfile("pixel-8"),
                DeviceFacts.ofProfile("rpi-4"), DeviceFacts.ofProfile("other"), DeviceFacts.of(500_000, List.of()),
                DeviceFacts.of(2_000_000, List.of("CoreML")), DeviceFacts.of(2_000_000, List.of("CPU")),
                DeviceFacts.of(10, List.of()).withProfile("pixel-8"), DeviceFacts.of(-1, List.of("qnn")).withProfile("rpi-4"));
        for (DeviceFacts d : devices) {
            assertEquals(manifest.compatibility().excludes(d) == null, UpdateClient.excludes(parsed, d) == null, d.toString());
        }
    }
}
