package dev.satchel.verifier.signature;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How the model was hashed: the OMS {@code predicate.serialization} object. Immutable.
 *
 * <p>Method {@code files} (one SHA-256 per whole file) is the interoperable core and the default.
 * Method {@code shards} hashes fixed-size byte ranges of every file so one large file can be hashed
 * on several cores; the reference implementation names such resources {@code path:start:end} with
 * algorithm {@code sha256-sharded-<shardSize>}.
 */
public final class Serialization {
    public static final String FILES = "files";
    public static final String SHARDS = "shards";
    /** The reference implementation's default shard size (1,000,000,000 bytes). */
    public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;
    /** Paths the reference implementation always ignores at the model root. */
    public static final List<String> GIT_PATHS = List.of(".git", ".gitattributes", ".github", ".gitignore");

    private final String method;
    private final String hashType;
    private final boolean allowSymlinks;
    private final long shardSize;
    private final List<String> ignorePaths;

    private Serialization(String method, String hashType, boolean allowSymlinks, long shardSize, List<String> ignorePaths) {
        this.method = method;
        this.hashType = hashType;
        this.allowSymlinks = allowSymlinks;
        this.shardSize = shardSize;
        this.ignorePaths = Collections.unmodifiableList(new ArrayList<>(ignorePaths));
    }

    /** Whole-file SHA-256, no symlinks, the git paths plus {@code extraIgnores} ignored. */
    public static Serialization files(List<String> extraIgnores) {
        return new Serialization(FILES, "sha256", false, 0, withGit(extraIgnores));
    }

    /** Sharded SHA-256 with the given shard size, no symlinks, git paths plus {@code extraIgnores} ignored. */
    public static Serialization shards(long shardSize, List<String> extraIgnores) {
        if (shardSize < 1) {
            throw new IllegalArgumentException("shard size must be positive: " + shardSize);
        }
        return new Serialization(SHARDS, "sha256", false, shardSize, withGit(extraIgnores));
    }

    /** As read from a signature; validated by the caller. */
    static Serialization read(String method, String hashType, boolean allowSymlinks, long shardSize, List<String> ignorePaths) {
        return new Serialization(method, hashType, allowSymlinks, shardSize, ignorePaths);
    }

    private static List<String> withGit(List<String> extra) {
        List<String> all = new ArrayList<>();
        for (String p : extra) {
            if (!all.contains(p)) {
                all.add(p);
            }
        }
        for (String g : GIT_PATHS) {
            if (!all.contains(g)) {
                all.add(g);
            }
        }
        return all;
    }

    public String method() {
        return method;
    }

    public String hashType() {
        return hashType;
    }

    public boolean allowSymlinks() {
        return allowSymlinks;
    }

    /** Shard size in bytes, 0 for {@code files}. */
    public long shardSize() {
        return shardSize;
    }

    public List<String> ignorePaths() {
        return ignorePaths;
    }

    public boolean sharded() {
        return SHARDS.equals(method);
    }

    /** The {@code algorithm} string each resource carries. */
    public String resourceAlgorithm() {
        return sharded() ? hashType + "-sharded-" + shardSize : hashType;
    }
}
