package dev.satchel.verifier.update;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OLPC canonical JSON, the form TUF signs (TUF spec §4.2 "File formats: general principles": "the
 * signed portion ... in canonical JSON"; http://wiki.laptop.org/go/Canonical_JSON). Members sorted
 * by the Unicode code points of their names (as securesystemslib's {@code encode_canonical} does),
 * no whitespace, integers only, and in strings only {@code "} and {@code \} are escaped: every
 * other character, control characters and the newlines of PEM keys included, is written raw as
 * UTF-8. This differs from {@link Json#writeCanonical}, which escapes control characters; TUF
 * signatures need exactly this form.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    /**
     * The canonical UTF-8 bytes of a JSON value (maps, lists, strings, integral numbers, booleans,
     * null, or {@link JsonObject}/{@link JsonArray}).
     *
     * @throws IllegalArgumentException for a non-integral number or a value that is not JSON
     */
    public static byte[] encode(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof String) {
            sb.append('"').append(((String) v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            sb.append(v);
        } else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            try {
                sb.append(d.toBigIntegerExact());
            } catch (ArithmeticException ex) {
                throw new IllegalArgumentException("canonical JSON has no fractions: " + d, ex);
            }
        } else if (v instanceof JsonObject) {
            write(sb, ((JsonObject) v).asMap());
        } else if (v instanceof JsonArray) {
            write(sb, ((JsonArray) v).asList());
        } else if (v instanceof Map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) v).entrySet());
            entries.sort((a, b) -> Json.compareCodePoints((String) a.getKey(), (String) b.getKey()));
            sb.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, entries.get(i).getKey());
                sb.append(':');
                write(sb, entries.get(i).getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            List<?> list = (List<?>) v;
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("not a canonical JSON value: " + v.getClass().getName());
        }
    }
}
