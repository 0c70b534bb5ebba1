package dev.satchel.signing;

import dev.satchel.verifier.signature.Serialization;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to sign and how. Immutable.
 *
 * @param model a model directory or a single file
 * @param signature where to write the signature file
 * @param sharded hash with the OMS {@code shards} method (parallel over chunks of one file) instead
 *     of whole-file SHA-256
 * @param shardSize bytes per shard when {@code sharded}
 * @param ignorePaths extra paths (relative to the model directory) to leave out
 * @param threads hashing threads
 * @param rehashOnSelfCheck whether the self-check after writing hashes every file again (slower,
 *     also catches files changing during signing); by default it checks the written signature with
 *     the verifier against the digests just computed
 */
public record SignOptions(Path model, Path signature, boolean sharded, long shardSize, List<String> ignorePaths, int threads,
        boolean rehashOnSelfCheck) {
    public SignOptions {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(signature, "signature");
        ignorePaths = List.copyOf(ignorePaths);
        if (sharded && shardSize < 1) {
            throw new IllegalArgumentException("shard size must be positive: " + shardSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
    }

    /** Whole-file SHA-256 to the default signature location, one thread per processor. */
    public static SignOptions of(Path model) {
        return new SignOptions(model, ModelSigner.defaultSignaturePath(model), false, Serialization.DEFAULT_SHARD_SIZE,
                List.of(), Runtime.getRuntime().availableProcessors(), false);
    }

    public SignOptions withSignature(Path signature) {
        return new SignOptions(model, signature, sharded, shardSize, ignorePaths, threads, rehashOnSelfCheck);
    }

    public SignOptions withSharding(long shardSize) {
        return new SignOptions(model, signature, true, shardSize, ignorePaths, threads, rehashOnSelfCheck);
    }

    public SignOptions withIgnorePaths(List<String> ignorePaths) {
        return new SignOptions(model, signature, sharded, shardSize, ignorePaths, threads, rehashOnSelfCheck);
    }

    public SignOptions withRehashOnSelfCheck() {
        return new SignOptions(model, signature, sharded, shardSize, ignorePaths, threads, true);
    }

    public SignOptions withThreads(int threads) {
        return new SignOptions(model, signature, sharded, shardSize, ignorePaths, threads, rehashOnSelfCheck);
    }
}
