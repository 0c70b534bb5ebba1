package dev.satchel.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model file that cannot be used: not ONNX, damaged, or structurally invalid. Carries a stable
 * {@link Code} and names the file; the message is one line saying where and what.
 */
public final class ModelException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes; documented in docs/model-layer.md. */
    public enum Code {
        /** The file ends before the protobuf message does. */
        TRUNCATED,
        /** The file is some other format (TFLite, ORT, ZIP, GGUF...) or random bytes. */
        NOT_ONNX,
        /** Protobuf parses but the content breaks the ONNX spec (missing graph, bad tensor). */
        MALFORMED,
        /** The node graph contains a cycle. */
        GRAPH_CYCLE,
        /** A node consumes a value that nothing produces. */
        DANGLING_INPUT,
        /** An external-data location escapes the model's folder (absolute path, .., symlink). */
        EXTERNAL_DATA_ESCAPES,
        /** An external-data offset/length lies past the end of its file or disagrees with dims. */
        EXTERNAL_DATA_OUT_OF_RANGE,
        /** An external-data file does not exist. */
        EXTERNAL_DATA_MISSING,
        /** Valid ONNX that Satchel cannot handle (for example a single tensor over 2 GiB inline). */
        UNSUPPORTED
    }

    private final Code code;
    private final Path file;

    public ModelException(Code code, Path file, String detail) {
        this(code, file, detail, null);
    }

    public ModelException(Code code, Path file, String detail, Throwable cause) {
        super((file == null ? "" : file + ": ") + detail, cause);
        this.code = Objects.requireNonNull(code);
        this.file = file;
    }

    public Code code() {
        return code;
    }

    /** The file the problem is in; may be null for models built in memory. */
    public Path file() {
        return file;
    }
}
