package dev.satchel.model;

import dev.satchel.model.internal.ExternalData;
import dev.satchel.model.internal.FactsCollector;
import dev.satchel.model.internal.Tensors;
import dev.satchel.model.onnx.Onnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A parsed ONNX model. Tensor bytes are views into the memory-mapped model file or its external
 * data files, not heap copies, so holding a large model costs little heap.
 *
 * <p>{@link #proto()} exposes the ONNX schema objects ({@code dev.satchel.model.onnx.Onnx}, generated
 * from this project's onnx.proto) for Satchel's own graph-rewriting modules; applications should
 * prefer {@link #facts()} and the other typed accessors. Immutable and thread-safe; the mapped
 * file must not be modified while the model is in use.
 */
public final class OnnxModel {
    private final Path file;
    private final Onnx.ModelProto proto;
    private final long fileBytes;
    private final ExternalData external;
    private volatile ModelFacts facts;

    OnnxModel(Path file, Path baseDir, Onnx.ModelProto proto, long fileBytes) {
        this.file = file;
        this.proto = Objects.requireNonNull(proto);
        this.fileBytes = fileBytes;
        this.external = new ExternalData(file, baseDir);
    }

    /**
     * Wraps a model built in memory. External-data references in it resolve against
     * {@code baseDir}.
     */
    public static OnnxModel of(Onnx.ModelProto proto, Path baseDir) {
        return new OnnxModel(null, baseDir.toAbsolutePath().normalize(), proto, -1);
    }

    /** The file this model was read from; {@code null} for models built in memory. */
    public Path file() {
        return file;
    }

    /** The folder external-data locations are relative to. */
    public Path baseDir() {
        return external.baseDir();
    }

    public Onnx.ModelProto proto() {
        return proto;
    }

    /** A new model with the given proto, resolving external data against the same folder. */
    public OnnxModel withProto(Onnx.ModelProto newProto) {
        return new OnnxModel(file, external.baseDir(), newProto, -1);
    }

    /** Size of the .onnx file; -1 for models built in memory. */
    public long fileBytes() {
        return fileBytes;
    }

    /**
     * The external data files the model's tensors name ({@code location} entries, relative to
     * {@link #baseDir()}), each once, sorted; empty for a self-contained model. Not checked here:
     * reading a tensor validates its location.
     */
    public List<String> externalDataLocations() {
        TreeSet<String> out = new TreeSet<>();
        Tensors.forEach(proto, t -> {
            if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
                t.getExternalDataList().stream().filter(e -> e.getKey().equals("location"))
                        .forEach(e -> out.add(e.getValue()));
            }
        });
        return List.copyOf(out);
    }

    public ModelFacts facts() {
        ModelFacts f = facts;
        if (f == null) {
            f = FactsCollector.collect(proto, fileBytes, external);
            facts = f;
        }
        return f;
    }

    /**
     * The tensor's data as little-endian bytes, read-only. For {@code raw_data} and external data
     * this is a view of the mapped file; tensors stored in typed fields ({@code float_data} and
     * friends) are encoded into a new buffer.
     *
     * @throws ModelException EXTERNAL_DATA_* when external data is missing or out of range
     */
    public ByteBuffer tensorData(Onnx.TensorProto t) throws ModelException {
        if (ExternalData.isExternal(t)) {
            return external.map(t).asReadOnlyBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (t.hasRawData()) {
            // slice(): heap-backed ByteStrings return buffers whose position is the array offset.
            return t.getRawData().asReadOnlyByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return dev.satchel.model.internal.TypedFields.encode(t);
        } catch (IllegalArgumentException e) {
            throw new ModelException(ModelException.Code.MALFORMED, file, e.getMessage(), e);
        }
    }

    /** Access to external-data resolution for the writer and validators in this module. */
    ExternalData externalData() {
        return external;
    }
}
