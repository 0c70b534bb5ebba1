package dev.satchel.verifier.json;

import java.util.List;

/**
 * A parsed JSON array together with its JSON pointer, for typed access whose errors say where.
 * Immutable and thread-safe; accessors throw {@link JsonException} with code {@code SHAPE}.
 */
public final class JsonArray {
    private final List<Object> list;
    private final String pointer;

    private JsonArray(List<Object> list, String pointer) {
        this.list = list;
        this.pointer = pointer;
    }

    @SuppressWarnings("unchecked")
    public static JsonArray of(Object value, String pointer) throws JsonException {
        if (!(value instanceof List)) {
            throw JsonException.shape(pointer, "expected array, got " + JsonObject.typeName(value));
        }
        return new JsonArray((List<Object>) value, pointer);
    }

    public String pointer() {
        return pointer;
    }

    public List<Object> asList() {
        return list;
    }

    public int size() {
        return list.size();
    }

    public String pointerOf(int index) {
        return pointer + "/" + index;
    }

    public Object get(int index) {
        return list.get(index);
    }

    public JsonObject object(int index) throws JsonException {
        return JsonObject.of(list.get(index), pointerOf(index));
    }

    public String string(int index) throws JsonException {
        Object v = list.get(index);
        if (!(v instanceof String)) {
            throw JsonException.shape(pointerOf(index), "expected string, got " + JsonObject.typeName(v));
        }
        return (String) v;
    }

    @Override
    public String toString() {
        return Json.write(list);
    }
}
