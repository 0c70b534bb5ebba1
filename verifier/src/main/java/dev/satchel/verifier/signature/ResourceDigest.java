package dev.satchel.verifier.signature;

import java.util.Objects;

/**
 * One signed resource of an OMS predicate: a file (or, in shard mode, a byte range
 * {@code path:start:end}), the digest algorithm name as written, and the lower-case hex digest.
 * Immutable.
 */
public final class ResourceDigest {
    private final String name;
    private final String algorithm;
    private final String digest;

    private ResourceDigest(String name, String algorithm, String digest) {
        this.name = Objects.requireNonNull(name, "name");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.digest = Objects.requireNonNull(digest, "digest");
        if (Hex.decodeOrNull(digest) == null) {
            throw new IllegalArgumentException("digest must be lower-case hex: " + digest);
        }
    }

    public static ResourceDigest of(String name, String algorithm, String digestHex) {
        return new ResourceDigest(name, algorithm, digestHex);
    }

    public String name() {
        return name;
    }

    public String algorithm() {
        return algorithm;
    }

    /** Lower-case hex. */
    public String digest() {
        return digest;
    }

    byte[] digestBytes() {
        return Hex.decodeOrNull(digest);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResourceDigest)) {
            return false;
        }
        ResourceDigest r = (ResourceDigest) o;
        return name.equals(r.name) && algorithm.equals(r.algorithm) && digest.equals(r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, algorithm, digest);
    }

    @Override
    public String toString() {
        return name + " " + algorithm + ":" + digest;
    }
}
