package dev.satchel.verifier.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    private static JsonException.Code failCode(String json) {
        return assertThrows(JsonException.class, () -> Json.parse(json.getBytes(StandardCharsets.UTF_8))).code();
    }

    @Test
    void parse_validDocument_returnsJdkValuesInOrder() throws Exception {
        Object v = Json.parse("{\"b\": [1, -2.5e3, true, false, null], \"a\": \"x\\u00e9\\ud83d\\ude00\\n\"}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        List<?> arr = (List<?>) m.get("b");
        assertEquals(new BigDecimal("1"), arr.get(0));
        assertEquals(new BigDecimal("-2.5e3"), arr.get(1));
        assertEquals(Boolean.TRUE, arr.get(2));
        assertNull(arr.get(4));
        assertEquals("x\u00e9\ud83d\ude00\n", m.get("a"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "{\"a\":1,\"a\":2}|DUPLICATE_KEY",
        "{\"a\":1} x|TRAILING_DATA",
        "[1] [2]|TRAILING_DATA",
        "\"\\x\"|BAD_STRING",
        "\"\\ud800\"|BAD_STRING",
        "\"\\udc00\"|BAD_STRING",
        "\"\\ud800\\u0041\"|BAD_STRING",
        "\"\\u12g4\"|BAD_STRING",
        "01|SYNTAX",
        "1.|SYNTAX",
        "-|SYNTAX",
        "1e|SYNTAX",
        "+1|SYNTAX",
        "NaN|SYNTAX",
        "[1,]|SYNTAX",
        "{\"a\":1,}|SYNTAX",
        "{a:1}|SYNTAX",
        "'a'|SYNTAX",
        "tru|SYNTAX",
        "\"abc|SYNTAX",
        " |SYNTAX",
        "[|SYNTAX",
    })
    void parse_invalid_failsWithCode(String json, JsonException.Code expected) {
        assertEquals(expected, failCode(json));
    }

    @Test
    void parse_rawControlCharacterInString_isBadString() {
        assertEquals(JsonException.Code.BAD_STRING, failCode("\"a\tb\""));
    }

    @Test
    void parse_invalidUtf8_isBadStringWithBytePosition() {
        byte[] bad = {'"', 'a', (byte) 0xC3, '"'};
        JsonException ex = assertThrows(JsonException.class, () -> Json.parse(bad));
        assertEquals(JsonException.Code.BAD_STRING, ex.code());
        assertEquals("byte 2", ex.location());
        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertEquals(JsonException.Code.BAD_STRING, assertThrows(JsonException.class, () -> Json.parse(overlong)).code());
        byte[] utf8Surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertEquals(JsonException.Code.BAD_STRING, assertThrows(JsonException.class, () -> Json.parse(utf8Surrogate)).code());
    }

    @Test
    void parse_byteOrderMark_isRejected() {
        assertEquals(JsonException.Code.SYNTAX, failCode("\uFEFF{}"));
    }

    @Test
    void parse_errorPosition_pointsAtOffendingLineAndColumn() {
        JsonException ex = assertThrows(JsonException.class, () -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}"));
        assertEquals("line 3, column 3 (byte 14)", ex.location());
        assertTrue(ex.getMessage().contains("duplicate member name \"a\""), ex.getMessage());
    }

    @Test
    void parse_depthLimit_isEnforced() throws Exception {
        String ok = "[".repeat(5) + "]".repeat(5);
        Json.parse(ok, JsonLimits.of(100, 5));
        JsonException ex = assertThrows(JsonException.class, () -> Json.parse("[".repeat(6) + "]".repeat(6), JsonLimits.of(100, 5)));
        assertEquals(JsonException.Code.TOO_DEEP, ex.code());
        // Deep input must not overflow the stack with the default limit.
        String deep = "[".repeat(100_000);
        assertEquals(JsonException.Code.TOO_DEEP, failCode(deep));
    }

    @Test
    void parse_sizeLimit_isEnforced() {
        JsonException ex = assertThrows(JsonException.class,
                () -> Json.parse("[1,2,3]".getBytes(StandardCharsets.UTF_8), JsonLimits.of(6, 10)));
        assertEquals(JsonException.Code.TOO_LARGE, ex.code());
    }

    @Test
    void parse_hugeExponent_isSyntaxNotCrash() {
        assertEquals(JsonException.Code.SYNTAX, failCode("1e99999999999"));
    }

    @Test
    void writeCanonical_sortsByCodePointAndIsStable() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("\uD83D\uDE00", 1);     // U+1F600: UTF-16 unit 0xD83D sorts before U+FFFD, code point after
        m.put("\uFFFD", 2);
        m.put("a", List.of("x\"\\\n\u0001", new BigDecimal("1.50"), new BigDecimal("1E+2")));
        String c = Json.writeCanonical(m);
        assertEquals("{\"a\":[\"x\\\"\\\\\\n\\u0001\",1.5,100],\"\uFFFD\":2,\"\uD83D\uDE00\":1}", c);
        assertEquals(c, Json.writeCanonical(Json.parse(c)));
    }

    @Test
    void writePretty_roundTripsThroughParse() throws Exception {
        String src = "{\"a\":{\"b\":[1,2,{}],\"c\":[]},\"d\":\"\u00e9\"}";
        Object v = Json.parse(src);
        assertEquals(v, Json.parse(Json.writePretty(v)));
        assertEquals(src, Json.write(v));
        assertTrue(Json.writePretty(v).contains("\n    \"b\": [\n"));
    }

    @Test
    void jsonObject_wrongType_reportsPointer() throws Exception {
        JsonObject o = Json.parseObject("{\"env\":{\"sigs\":[{\"sig\":5}]}}".getBytes(StandardCharsets.UTF_8));
        JsonException ex = assertThrows(JsonException.class,
                () -> o.object("env").array("sigs").object(0).string("sig"));
        assertEquals(JsonException.Code.SHAPE, ex.code());
        assertEquals("/env/sigs/0/sig: expected string, got number", ex.getMessage());
        JsonException missing = assertThrows(JsonException.class, () -> o.string("a/b"));
        assertEquals("/a~1b: required member is missing", missing.getMessage());
    }

    @Test
    void jsonObject_longValue_acceptsIntegralDoublesOnly() throws Exception {
        JsonObject o = Json.parseObject("{\"a\":8.0,\"b\":8.5,\"c\":-1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(8, o.longValue("a", 1, 100));
        assertThrows(JsonException.class, () -> o.longValue("b", 1, 100));
        assertThrows(JsonException.class, () -> o.longValue("c", 1, 100));
    }

    /** Mutation fuzzing: any byte soup must either parse or fail with a JsonException, never anything else. */
    @Test
    void parse_fuzzedMutations_failOnlyWithJsonException() {
        byte[] seed = ("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"a\":[1,-2.5e-3,true,false,null,"
                + "{\"k\":\"\\u00e9\\ud83d\\ude00\\\"\"}],\"n\":{}}").getBytes(StandardCharsets.UTF_8);
        byte[] alphabet = "{}[]\",:\\u0123456789eE+-.tfn \t\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(42);
        int parsed = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] b = seed.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(b.length);
                b[at] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            try {
                Object v = Json.parse(b);
                parsed++;
                assertEquals(Json.write(v), Json.write(Json.parse(Json.write(v))), "write/parse round trip");
            } catch (JsonException expected) {
                assertTrue(expected.getMessage().length() > 0);
            }
        }
        assertTrue(parsed > 0, "some mutations should still be valid JSON");
    }
}
