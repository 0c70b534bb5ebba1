package dev.satchel.model.internal;

import dev.satchel.model.DataType;
import dev.satchel.model.ModelException;
import dev.satchel.model.onnx.Onnx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves ONNX external data (TensorProto.data_location = EXTERNAL) safely: the location must be
 * a relative path that stays inside the model's folder after resolving symlinks (ONNX IR spec,
 * "External Tensor Data": location is relative to the model file's directory), and the
 * offset/length must lie inside the file. Data is memory-mapped, never read into the heap.
 *
 * <p>Thread-safe.
 */
public final class ExternalData {
    /** One external-data reference as written in a TensorProto. */
    public record Ref(String location, long offset, long length, boolean lengthGiven) {}

    private final Path modelFile;
    private final Path baseDir;
    private final ConcurrentHashMap<String, Long> sizes = new ConcurrentHashMap<>();

    public ExternalData(Path modelFile, Path baseDir) {
        this.modelFile = modelFile;
        this.baseDir = baseDir;
    }

    public Path baseDir() {
        return baseDir;
    }

    public static boolean isExternal(Onnx.TensorProto t) {
        return t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL;
    }

    /** Parses the key/value entries of an external tensor. */
    public Ref parse(Onnx.TensorProto t) throws ModelException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (Onnx.StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location":
                        location = e.getValue();
                        break;
                    case "offset":
                        offset = Long.parseLong(e.getValue().trim());
                        break;
                    case "length":
                        length = Long.parseLong(e.getValue().trim());
                        break;
                    default:
                        break; // "checksum" and future keys are informational.
                }
            } catch (NumberFormatException ex) {
                throw new ModelException(ModelException.Code.MALFORMED, modelFile,
                        where(t) + ": external_data '" + e.getKey() + "' is not a number: '" + e.getValue() + "'", ex);
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ModelException(ModelException.Code.MALFORMED, modelFile,
                    where(t) + ": external data has no 'location' entry");
        }
        if (offset < 0 || length < -1) {
            throw new ModelException(ModelException.Code.EXTERNAL_DATA_OUT_OF_RANGE, modelFile,
                    where(t) + ": external data offset " + offset + " / length " + length + " is negative");
        }
        return new Ref(location, offset, length, length >= 0);
    }

    /**
     * Checks that the reference stays inside the model folder and inside its file, and that it
     * holds as many bytes as the tensor's dims need. Returns the resolved reference (length
     * filled in).
     */
    public Ref validate(Onnx.TensorProto t) throws ModelException {
        Ref ref = parse(t);
        Path file = resolve(t, ref.location());
        long size = sizes.computeIfAbsent(ref.location(), k -> sizeOf(file));
        if (size < 0) {
            throw new ModelException(ModelException.Code.EXTERNAL_DATA_MISSING, modelFile,
                    where(t) + ": external data file '" + ref.location() + "' does not exist in " + baseDir);
        }
        long length = ref.lengthGiven() ? ref.length() : size - ref.offset();
        if (ref.offset() > size || length > size - ref.offset()) {
            throw new ModelException(ModelException.Code.EXTERNAL_DATA_OUT_OF_RANGE, modelFile,
                    where(t) + ": external data '" + ref.location() + "' offset " + ref.offset() + " + length "
                            + length + " lies past the end of the file (" + size + " bytes)");
        }
        DataType dt = DataType.ofCode(t.getDataType());
        long count = Protos.elementCount(t);
        if (dt != null && dt != DataType.STRING && dt.bits() > 0 && count >= 0) {
            long need = dt.storageBytes(count);
            if (length != need) {
                throw new ModelException(ModelException.Code.EXTERNAL_DATA_OUT_OF_RANGE, modelFile,
                        where(t) + ": external data holds " + length + " bytes but dims " + t.getDimsList() + " of "
                                + dt.displayName() + " need " + need);
            }
        }
        return new Ref(ref.location(), ref.offset(), length, true);
    }

    /** Maps the tensor's bytes read-only, little-endian. Call {@link #validate} first. */
    public ByteBuffer map(Onnx.TensorProto t) throws ModelException {
        Ref ref = validate(t);
        if (ref.length() > Integer.MAX_VALUE) {
            throw new ModelException(ModelException.Code.UNSUPPORTED, modelFile,
                    where(t) + ": a single tensor over 2 GiB (" + ref.length() + " bytes) cannot be mapped as one buffer");
        }
        Path file = resolve(t, ref.location());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, ref.offset(), ref.length()).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelException(ModelException.Code.EXTERNAL_DATA_MISSING, modelFile,
                    where(t) + ": cannot read external data '" + ref.location() + "': " + e.getMessage(), e);
        }
    }

    /** The file the location names, after checking it cannot escape the model folder. */
    public Path resolve(Onnx.TensorProto t, String location) throws ModelException {
        if (location.indexOf('\0') >= 0 || location.contains("\\")) {
            throw escapes(t, location, "contains a NUL or backslash");
        }
        Path rel;
        try {
            rel = baseDir.getFileSystem().getPath(location);
        } catch (RuntimeException e) {
            throw escapes(t, location, "is not a valid path");
        }
        if (rel.isAbsolute() || location.startsWith("/")) {
            throw escapes(t, location, "is an absolute path");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw escapes(t, location, "contains '..'");
            }
        }
        Path file = baseDir.resolve(rel).normalize();
        if (!file.startsWith(baseDir)) {
            throw escapes(t, location, "points outside the model folder");
        }
        if (Files.exists(file)) {
            try {
                Path real = file.toRealPath();
                Path realBase = baseDir.toRealPath();
                if (!real.startsWith(realBase)) {
                    throw escapes(t, location, "is a symlink to " + real + ", outside the model folder");
                }
                if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                    throw escapes(t, location, "is not a regular file");
                }
            } catch (IOException e) {
                throw new ModelException(ModelException.Code.EXTERNAL_DATA_MISSING, modelFile,
                        where(t) + ": cannot resolve external data '" + location + "': " + e.getMessage(), e);
            }
        }
        return file;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private ModelException escapes(Onnx.TensorProto t, String location, String why) {
        return new ModelException(ModelException.Code.EXTERNAL_DATA_ESCAPES, modelFile,
                where(t) + ": external data location '" + location + "' " + why);
    }

    private static String where(Onnx.TensorProto t) {
        return "tensor '" + t.getName() + "'";
    }
}
