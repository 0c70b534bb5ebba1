package dev.satchel.verifier.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer for the device verifier, which must not depend
 * on Jackson.
 *
 * <p>Parsed values are plain JDK types: {@code Map<String, Object>} (unmodifiable, member order
 * kept), {@code List<Object>} (unmodifiable), {@code String}, {@link BigDecimal}, {@code Boolean}
 * and {@code null} for JSON null. Use {@link JsonObject} / {@link JsonArray} for typed access with
 * JSON-pointer error messages.
 *
 * <p>Stricter than RFC 8259 requires, on purpose (signature and manifest files are attack surface;
 * two parsers must never disagree about a document): duplicate member names, lone surrogates (raw
 * or escaped), invalid UTF-8, a byte-order mark, and anything but whitespace after the value are
 * errors. Input size and nesting depth are limited ({@link JsonLimits}). Stateless and thread-safe.
 */
public final class Json {
    private Json() {}

    /** Parses UTF-8 bytes with {@link JsonLimits#DEFAULT}. */
    public static Object parse(byte[] utf8) throws JsonException {
        return parse(utf8, JsonLimits.DEFAULT);
    }

    /**
     * Parses UTF-8 bytes.
     *
     * @throws JsonException {@code TOO_LARGE}, {@code BAD_STRING} (invalid UTF-8), {@code SYNTAX},
     *     {@code DUPLICATE_KEY}, {@code TRAILING_DATA}, {@code TOO_DEEP}
     */
    public static Object parse(byte[] utf8, JsonLimits limits) throws JsonException {
        if (utf8.length > limits.maxBytes()) {
            throw new JsonException(JsonException.Code.TOO_LARGE, "byte " + limits.maxBytes(),
                    "document is " + utf8.length + " bytes, limit is " + limits.maxBytes());
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int pos = in.position();
            throw new JsonException(JsonException.Code.BAD_STRING, "byte " + pos,
                    "invalid UTF-8 (byte 0x" + Integer.toHexString(utf8[pos] & 0xff) + ")");
        }
        r = decoder.flush(out);
        if (r.isError()) {
            throw new JsonException(JsonException.Code.BAD_STRING, "byte " + utf8.length, "invalid UTF-8 at end");
        }
        ((java.nio.Buffer) out).flip(); // Buffer.flip(): CharBuffer.flip() exists only from Java 9 / Android API 34
        return new Parser(out.toString(), limits).document();
    }

    /** Parses a string (already decoded) with {@link JsonLimits#DEFAULT}. */
    public static Object parse(String text) throws JsonException {
        return parse(text, JsonLimits.DEFAULT);
    }

    /** Parses a string; the size limit applies to its UTF-8 length. */
    public static Object parse(String text, JsonLimits limits) throws JsonException {
        if (text.length() > limits.maxBytes()) {
            throw new JsonException(JsonException.Code.TOO_LARGE, "byte " + limits.maxBytes(),
                    "document is over " + limits.maxBytes() + " bytes");
        }
        return new Parser(text, limits).document();
    }

    /** Parses and requires a top-level object. */
    public static JsonObject parseObject(byte[] utf8) throws JsonException {
        return parseObject(utf8, JsonLimits.DEFAULT);
    }

    /** Parses and requires a top-level object. */
    public static JsonObject parseObject(byte[] utf8, JsonLimits limits) throws JsonException {
        return JsonObject.of(parse(utf8, limits), "");
    }

    // ---------------------------------------------------------------- writing

    /** Compact JSON, members in map iteration order. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false, false).value(value, 0);
        return sb.toString();
    }

    /** Pretty JSON (2-space indent, {@code ": "} separator, no trailing newline), map order kept. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, true, false).value(value, 0);
        return sb.toString();
    }

    /**
     * Canonical compact JSON: members sorted by Unicode code point of their names, no whitespace,
     * integers without exponent. Same value, same bytes.
     */
    public static String writeCanonical(Object value) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, false, true).value(value, 0);
        return sb.toString();
    }

    /** Compact JSON as UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Compares strings by Unicode code point (not UTF-16 unit, which mis-orders supplementary characters). */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static final class Writer {
        private final StringBuilder sb;
        private final boolean pretty;
        private final boolean canonical;

        Writer(StringBuilder sb, boolean pretty, boolean canonical) {
            this.sb = sb;
            this.pretty = pretty;
            this.canonical = canonical;
        }

        void value(Object v, int depth) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String) {
                string((String) v);
            } else if (v instanceof Boolean) {
                sb.append(v.toString());
            } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger
                    || v instanceof Short || v instanceof Byte) {
                sb.append(v.toString());
            } else if (v instanceof BigDecimal) {
                BigDecimal d = (BigDecimal) v;
                if (d.signum() == 0) {
                    sb.append('0');
                } else if (d.stripTrailingZeros().scale() <= 0 && d.precision() - d.scale() < 40) {
                    sb.append(d.toBigInteger().toString());
                } else {
                    sb.append(d.stripTrailingZeros().toString());
                }
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("JSON has no " + d);
                }
                value(new BigDecimal(v.toString()), depth);
            } else if (v instanceof Map) {
                object((Map<?, ?>) v, depth);
            } else if (v instanceof List) {
                array((List<?>) v, depth);
            } else if (v instanceof JsonObject) {
                object(((JsonObject) v).asMap(), depth);
            } else if (v instanceof JsonArray) {
                array(((JsonArray) v).asList(), depth);
            } else {
                throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
            }
        }

        private void newline(int depth) {
            if (pretty) {
                sb.append('\n');
                for (int i = 0; i < depth; i++) {
                    sb.append("  ");
                }
            }
        }

        private void object(Map<?, ?> map, int depth) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            for (Map.Entry<?, ?> e : entries) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON member names are strings: " + e.getKey());
                }
            }
            if (canonical) {
                entries.sort((x, y) -> compareCodePoints((String) x.getKey(), (String) y.getKey()));
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(depth + 1);
                string((String) e.getKey());
                sb.append(pretty ? ": " : ":");
                value(e.getValue(), depth + 1);
            }
            if (!entries.isEmpty()) {
                newline(depth);
            }
            sb.append('}');
        }

        private void array(List<?> list, int depth) {
            sb.append('[');
            boolean first = true;
            for (Object o : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(depth + 1);
                value(o, depth + 1);
            }
            if (!list.isEmpty()) {
                newline(depth);
            }
            sb.append(']');
        }

        private void string(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"': sb.append("\\\""); break;
                    case '\\': sb.append("\\\\"); break;
                    case '\n': sb.append("\\n"); break;
                    case '\r': sb.append("\\r"); break;
                    case '\t': sb.append("\\t"); break;
                    case '\b': sb.append("\\b"); break;
                    case '\f': sb.append("\\f"); break;
                    default:
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else if (Character.isHighSurrogate(c)) {
                            if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                                throw new IllegalArgumentException("lone surrogate in string at index " + i);
                            }
                            sb.append(c).append(s.charAt(++i));
                        } else if (Character.isLowSurrogate(c)) {
                            throw new IllegalArgumentException("lone surrogate in string at index " + i);
                        } else {
                            sb.append(c);
                        }
                }
            }
            sb.append('"');
        }
    }

    // ---------------------------------------------------------------- parsing

    private static final class Parser {
        private final String s;
        private final int maxDepth;
        private int pos;

        Parser(String s, JsonLimits limits) {
            this.s = s;
            this.maxDepth = limits.maxDepth();
        }

        Object document() throws JsonException {
            if (!s.isEmpty() && s.charAt(0) == '\uFEFF') {
                throw error(JsonException.Code.SYNTAX, "byte-order mark is not allowed");
            }
            skipWs();
            Object v = value(0);
            skipWs();
            if (pos < s.length()) {
                throw error(JsonException.Code.TRAILING_DATA, "unexpected " + describe(pos) + " after the JSON value");
            }
            return v;
        }

        private JsonException error(JsonException.Code code, String message) {
            return errorAt(pos, code, message);
        }

        private JsonException errorAt(int at, JsonException.Code code, String message) {
            int line = 1;
            int col = 1;
            int end = Math.min(at, s.length());
            for (int i = 0; i < end; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            int bytes = s.substring(0, end).getBytes(StandardCharsets.UTF_8).length;
            return new JsonException(code, "line " + line + ", column " + col + " (byte " + bytes + ")", message);
        }

        private String describe(int at) {
            if (at >= s.length()) {
                return "end of input";
            }
            char c = s.charAt(at);
            if (c >= 0x20 && c < 0x7f) {
                return "'" + c + "'";
            }
            return String.format("U+%04X", (int) c);
        }

        private void skipWs() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private Object value(int depth) throws JsonException {
            if (pos >= s.length()) {
                throw error(JsonException.Code.SYNTAX, "expected a value, got end of input");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{': return object(depth + 1);
                case '[': return array(depth + 1);
                case '"': return string();
                case 't': literal("true"); return Boolean.TRUE;
                case 'f': literal("false"); return Boolean.FALSE;
                case 'n': literal("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error(JsonException.Code.SYNTAX, "expected a value, got " + describe(pos));
            }
        }

        private void literal(String word) throws JsonException {
            if (!s.startsWith(word, pos)) {
                throw error(JsonException.Code.SYNTAX, "expected '" + word + "'");
            }
            pos += word.length();
        }

        private Map<String, Object> object(int depth) throws JsonException {
            if (depth > maxDepth) {
                throw error(JsonException.Code.TOO_DEEP, "nesting deeper than " + maxDepth);
            }
            pos++; // '{'
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error(JsonException.Code.SYNTAX, "expected a member name string, got " + describe(pos));
                }
                int keyAt = pos;
                String key = string();
                if (map.containsKey(key)) {
                    throw errorAt(keyAt, JsonException.Code.DUPLICATE_KEY, "duplicate member name \"" + key + "\"");
                }
                skipWs();
                if (pos >= s.length() || s.charAt(pos) != ':') {
                    throw error(JsonException.Code.SYNTAX, "expected ':', got " + describe(pos));
                }
                pos++;
                skipWs();
                map.put(key, value(depth));
                skipWs();
                if (pos >= s.length()) {
                    throw error(JsonException.Code.SYNTAX, "unterminated object, expected ',' or '}'");
                }
                char c = s.charAt(pos++);
                if (c == '}') {
                    return Collections.unmodifiableMap(map);
                }
                if (c != ',') {
                    throw errorAt(pos - 1, JsonException.Code.SYNTAX, "expected ',' or '}', got " + describe(pos - 1));
                }
            }
        }

        private List<Object> array(int depth) throws JsonException {
            if (depth > maxDepth) {
                throw error(JsonException.Code.TOO_DEEP, "nesting deeper than " + maxDepth);
            }
            pos++; // '['
            ArrayList<Object> list = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWs();
                list.add(value(depth));
                skipWs();
                if (pos >= s.length()) {
                    throw error(JsonException.Code.SYNTAX, "unterminated array, expected ',' or ']'");
                }
                char c = s.charAt(pos++);
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    throw errorAt(pos - 1, JsonException.Code.SYNTAX, "expected ',' or ']', got " + describe(pos - 1));
                }
            }
        }

        private String string() throws JsonException {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= s.length()) {
                    throw errorAt(start, JsonException.Code.SYNTAX, "unterminated string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    String result;
                    if (sb == null) {
                        result = s.substring(runStart, pos);
                    } else {
                        sb.append(s, runStart, pos);
                        result = sb.toString();
                    }
                    pos++;
                    return result;
                }
                if (c < 0x20) {
                    throw error(JsonException.Code.BAD_STRING, "control character " + describe(pos) + " must be escaped");
                }
                if (Character.isHighSurrogate(c)) {
                    if (pos + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(pos + 1))) {
                        throw error(JsonException.Code.BAD_STRING, "lone surrogate");
                    }
                    pos += 2;
                    continue;
                }
                if (Character.isLowSurrogate(c)) {
                    throw error(JsonException.Code.BAD_STRING, "lone surrogate");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, runStart, pos);
                int escAt = pos;
                pos++;
                if (pos >= s.length()) {
                    throw errorAt(start, JsonException.Code.SYNTAX, "unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': {
                        char u = hex4(escAt);
                        if (Character.isHighSurrogate(u)) {
                            if (!s.startsWith("\\u", pos)) {
                                throw errorAt(escAt, JsonException.Code.BAD_STRING, "lone surrogate \\u" + hexOf(u));
                            }
                            int lowAt = pos;
                            pos += 2;
                            char low = hex4(lowAt);
                            if (!Character.isLowSurrogate(low)) {
                                throw errorAt(escAt, JsonException.Code.BAD_STRING, "lone surrogate \\u" + hexOf(u));
                            }
                            sb.append(u).append(low);
                        } else if (Character.isLowSurrogate(u)) {
                            throw errorAt(escAt, JsonException.Code.BAD_STRING, "lone surrogate \\u" + hexOf(u));
                        } else {
                            sb.append(u);
                        }
                        break;
                    }
                    default:
                        throw errorAt(escAt, JsonException.Code.BAD_STRING, "invalid escape \\" + describe(pos - 1).replace("'", ""));
                }
                runStart = pos;
            }
        }

        private static String hexOf(char c) {
            return String.format("%04X", (int) c);
        }

        private char hex4(int escAt) throws JsonException {
            if (pos + 4 > s.length()) {
                throw errorAt(escAt, JsonException.Code.BAD_STRING, "truncated \\u escape");
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(s.charAt(pos + i), 16);
                char ch = s.charAt(pos + i);
                boolean ascii = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
                if (d < 0 || !ascii) {
                    throw errorAt(escAt, JsonException.Code.BAD_STRING, "invalid \\u escape, expected 4 hex digits");
                }
                v = v * 16 + d;
            }
            pos += 4;
            return (char) v;
        }

        private BigDecimal number() throws JsonException {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                throw errorAt(start, JsonException.Code.SYNTAX, "invalid number, expected a digit after '-'");
            }
            if (s.charAt(pos) == '0') {
                pos++;
                if (pos < s.length() && isDigit(s.charAt(pos))) {
                    throw errorAt(start, JsonException.Code.SYNTAX, "invalid number, leading zero");
                }
            } else {
                digits();
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                pos++;
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw errorAt(start, JsonException.Code.SYNTAX, "invalid number, expected a digit after '.'");
                }
                digits();
            }
            if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                pos++;
                if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= s.length() || !isDigit(s.charAt(pos))) {
                    throw errorAt(start, JsonException.Code.SYNTAX, "invalid number, expected exponent digits");
                }
                digits();
            }
            String text = s.substring(start, pos);
            if (text.length() > 256) {
                throw errorAt(start, JsonException.Code.SYNTAX, "number longer than 256 characters");
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException | ArithmeticException ex) {
                throw errorAt(start, JsonException.Code.SYNTAX, "number out of range: " + text);
            }
        }

        private void digits() {
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
