package dev.satchel.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.satchel.model.internal.ExternalData;
import dev.satchel.model.internal.FileFormats;
import dev.satchel.model.internal.GraphValidator;
import dev.satchel.model.internal.Tensors;
import dev.satchel.model.onnx.Onnx;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads ONNX models from disk without copying weights into the heap.
 *
 * <p>The file is memory-mapped and parsed with protobuf aliasing enabled, so every {@code raw_data}
 * field is a view into the map. External data is validated (inside the model folder, inside its
 * file, as long as the dims need) but not read. Unknown fields are kept, so writing the model back
 * loses nothing.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelReader {
    /** protobuf-java's own default is 100; nested If/Loop bodies add three levels each. */
    private static final int RECURSION_LIMIT = 400;

    private ModelReader() {}

    /**
     * Reads and validates a model.
     *
     * @throws NoSuchFileException if the file does not exist
     * @throws ModelException TRUNCATED, NOT_ONNX, MALFORMED, GRAPH_CYCLE, DANGLING_INPUT,
     *     EXTERNAL_DATA_ESCAPES, EXTERNAL_DATA_OUT_OF_RANGE, EXTERNAL_DATA_MISSING, UNSUPPORTED
     */
    public static OnnxModel read(Path path) throws IOException {
        Path file = path.toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isDirectory(file)) {
            throw new ModelException(ModelException.Code.NOT_ONNX, path, "is a directory; give the path of the .onnx file");
        }
        long size = Files.size(file);
        if (size == 0) {
            throw new ModelException(ModelException.Code.TRUNCATED, path, "the file is empty");
        }
        if (size > Integer.MAX_VALUE) {
            throw new ModelException(ModelException.Code.UNSUPPORTED, path, "the file is " + size
                    + " bytes; protobuf limits an .onnx file to 2 GiB, so larger models must keep weights as external data");
        }
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        String foreign = FileFormats.identifyForeign(map);
        if (foreign != null) {
            throw new ModelException(ModelException.Code.NOT_ONNX, path, "this is " + foreign);
        }
        Onnx.ModelProto proto = parse(path, map, size);
        if (!proto.hasGraph()) {
            throw new ModelException(ModelException.Code.NOT_ONNX, path,
                    "parses as protobuf but has no graph (ModelProto field 7): not an ONNX model");
        }
        if (!proto.hasIrVersion() || proto.getIrVersion() <= 0) {
            throw new ModelException(ModelException.Code.MALFORMED, path, "ir_version is missing; every ONNX model must declare it");
        }
        OnnxModel model = new OnnxModel(path, file.getParent(), proto, size);
        validate(model);
        return model;
    }

    /** Validates a model built in memory the same way {@link #read} validates a file. */
    public static void validate(OnnxModel model) throws ModelException {
        Path shown = model.file();
        new GraphValidator(shown).validate(model.proto().getGraph());
        ExternalData ext = model.externalData();
        ModelException[] first = new ModelException[1];
        Tensors.forEach(model.proto(), t -> {
            if (first[0] == null && ExternalData.isExternal(t)) {
                try {
                    ext.validate(t);
                } catch (ModelException e) {
                    first[0] = e;
                }
            }
        });
        if (first[0] != null) {
            throw first[0];
        }
    }

    private static Onnx.ModelProto parse(Path path, MappedByteBuffer map, long size) throws ModelException {
        // NioByteString.newCodedInput() marks the buffer immutable, which together with
        // enableAliasing makes readBytes() return slices of the map instead of copies.
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(map).newCodedInput();
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        in.setRecursionLimit(RECURSION_LIMIT);
        try {
            Onnx.ModelProto m = Onnx.ModelProto.parser().parseFrom(in);
            return m;
        } catch (InvalidProtocolBufferException e) {
            String msg = String.valueOf(e.getMessage());
            int at = in.getTotalBytesRead();
            if (msg.contains("ended unexpectedly") || msg.contains("truncated")) {
                throw new ModelException(ModelException.Code.TRUNCATED, path, "the file ends in the middle of a protobuf field (around byte "
                        + at + " of " + size + "): truncated copy or download?", e);
            }
            throw new ModelException(ModelException.Code.NOT_ONNX, path, "not a valid ONNX protobuf (around byte " + at + " of "
                    + size + ": " + msg.replace('\n', ' ') + ")", e);
        }
    }
}
