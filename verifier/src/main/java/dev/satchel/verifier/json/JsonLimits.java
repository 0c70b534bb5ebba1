package dev.satchel.verifier.json;

/**
 * Resource limits for {@link Json#parse}. Immutable. The defaults suit signature and manifest files
 * (16 MiB, depth 64); raise them only for documents known to be larger.
 */
public final class JsonLimits {
    /** 16 MiB and nesting depth 64. */
    public static final JsonLimits DEFAULT = new JsonLimits(16 << 20, 64);

    private final int maxBytes;
    private final int maxDepth;

    private JsonLimits(int maxBytes, int maxDepth) {
        if (maxBytes < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxBytes + ", " + maxDepth);
        }
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
    }

    public static JsonLimits of(int maxBytes, int maxDepth) {
        return new JsonLimits(maxBytes, maxDepth);
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int maxDepth() {
        return maxDepth;
    }
}
