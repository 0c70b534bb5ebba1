package dev.satchel.verifier.json;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JSON object together with its JSON pointer, for typed access whose errors say where.
 * Immutable and thread-safe. Every accessor throws {@link JsonException} with code {@code SHAPE}
 * and a message like {@code /dsseEnvelope/payload: expected string, got number}.
 */
public final class JsonObject {
    private final Map<String, Object> map;
    private final String pointer;

    private JsonObject(Map<String, Object> map, String pointer) {
        this.map = map;
        this.pointer = pointer;
    }

    /** Wraps a parsed value that must be an object; {@code pointer} is where it sits ("" for the root). */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object value, String pointer) throws JsonException {
        if (!(value instanceof Map)) {
            throw JsonException.shape(pointer, "expected object, got " + typeName(value));
        }
        return new JsonObject((Map<String, Object>) value, pointer);
    }

    /** The JSON pointer of this object ({@code ""} for the document root). */
    public String pointer() {
        return pointer;
    }

    /** The member map (unmodifiable when it came from {@link Json#parse}). */
    public Map<String, Object> asMap() {
        return map;
    }

    public Set<String> keys() {
        return map.keySet();
    }

    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The JSON pointer of a member (RFC 6901 escaping). */
    public String pointerOf(String key) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    /** The raw member value, or null when absent or JSON null. */
    public Object get(String key) {
        return map.get(key);
    }

    private Object require(String key) throws JsonException {
        if (!map.containsKey(key)) {
            throw JsonException.shape(pointerOf(key), "required member is missing");
        }
        return map.get(key);
    }

    public String string(String key) throws JsonException {
        Object v = require(key);
        if (!(v instanceof String)) {
            throw JsonException.shape(pointerOf(key), "expected string, got " + typeName(v));
        }
        return (String) v;
    }

    /** A string member, or {@code null} when absent or JSON null. */
    public String optString(String key) throws JsonException {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String)) {
            throw JsonException.shape(pointerOf(key), "expected string, got " + typeName(v));
        }
        return (String) v;
    }

    public boolean bool(String key) throws JsonException {
        Object v = require(key);
        if (!(v instanceof Boolean)) {
            throw JsonException.shape(pointerOf(key), "expected boolean, got " + typeName(v));
        }
        return (Boolean) v;
    }

    public BigDecimal number(String key) throws JsonException {
        Object v = require(key);
        if (!(v instanceof BigDecimal)) {
            throw JsonException.shape(pointerOf(key), "expected number, got " + typeName(v));
        }
        return (BigDecimal) v;
    }

    /**
     * An integral number member in {@code [min, max]}. {@code 8.0} counts as integral (producers
     * that go through protobuf {@code Struct} write doubles).
     */
    public long longValue(String key, long min, long max) throws JsonException {
        BigDecimal d = number(key);
        long v;
        try {
            v = d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : Long.MIN_VALUE;
        } catch (ArithmeticException ex) {
            v = Long.MIN_VALUE;
        }
        if (v == Long.MIN_VALUE || v < min || v > max) {
            throw JsonException.shape(pointerOf(key),
                    "expected an integer in [" + min + ", " + max + "], got " + d.toString());
        }
        return v;
    }

    public JsonObject object(String key) throws JsonException {
        return of(require(key), pointerOf(key));
    }

    /** An object member, or {@code null} when absent or JSON null. */
    public JsonObject optObject(String key) throws JsonException {
        Object v = map.get(key);
        return v == null ? null : of(v, pointerOf(key));
    }

    public JsonArray array(String key) throws JsonException {
        return JsonArray.of(require(key), pointerOf(key));
    }

    /** An array member, or {@code null} when absent or JSON null. */
    public JsonArray optArray(String key) throws JsonException {
        Object v = map.get(key);
        return v == null ? null : JsonArray.of(v, pointerOf(key));
    }

    /** Fails on any member not in {@code allowed}: for formats where an unknown member is an error. */
    public void requireOnly(Set<String> allowed) throws JsonException {
        for (String k : map.keySet()) {
            if (!allowed.contains(k)) {
                throw JsonException.shape(pointerOf(k), "unknown member (allowed: " + allowed + ")");
            }
        }
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof BigDecimal) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Map) {
            return "object";
        }
        if (v instanceof java.util.List) {
            return "array";
        }
        return v.getClass().getSimpleName();
    }

    @Override
    public String toString() {
        return Json.write(map);
    }
}
