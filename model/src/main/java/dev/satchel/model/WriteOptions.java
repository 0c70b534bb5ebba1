package dev.satchel.model;

/**
 * How {@link ModelWriter} lays out tensor data. Immutable.
 *
 * @param externalThreshold tensors (initializers) of at least this many bytes go to the external
 *     data file; {@code Long.MAX_VALUE} keeps everything inline; {@code -1} means "as the source
 *     model had it": external stays external, inline stays inline
 * @param dataFileName name of the external data file written next to the model; {@code null}
 *     means the model's file name plus {@code .data}
 */
public record WriteOptions(long externalThreshold, String dataFileName) {
    /** ONNX's own convert_model_to_external_data default (size_threshold=1024). */
    public static final long DEFAULT_THRESHOLD = 1024;

    /** Above this, protobuf cannot hold the model in one file and external data is required. */
    public static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    public WriteOptions {
        if (externalThreshold < -1) {
            throw new IllegalArgumentException("externalThreshold must be >= -1");
        }
        if (dataFileName != null && (dataFileName.isEmpty() || dataFileName.contains("/")
                || dataFileName.contains("\\") || dataFileName.equals("..") || dataFileName.equals("."))) {
            throw new IllegalArgumentException("dataFileName must be a plain file name, got '" + dataFileName + "'");
        }
    }

    /** Keep each tensor where the source had it (inline or external). */
    public static WriteOptions preserveLayout() {
        return new WriteOptions(-1, null);
    }

    /** Everything inline in one .onnx file (fails above 2 GiB). */
    public static WriteOptions allInline() {
        return new WriteOptions(Long.MAX_VALUE, null);
    }

    /** Tensors of at least {@code thresholdBytes} go to {@code <model>.data}. */
    public static WriteOptions externalAbove(long thresholdBytes) {
        return new WriteOptions(thresholdBytes, null);
    }

    public WriteOptions withDataFileName(String name) {
        return new WriteOptions(externalThreshold, name);
    }
}
