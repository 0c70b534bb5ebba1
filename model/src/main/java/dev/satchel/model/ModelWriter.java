package dev.satchel.model;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.satchel.model.internal.ExternalData;
import dev.satchel.model.onnx.Onnx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes models to disk, streaming tensor bytes from their mapped sources straight to the output
 * (no heap copy of the weights), optionally moving large tensors to an external data file.
 *
 * <p>Atomic: the model and its data file are written to temporary files in the target folder,
 * synced, then renamed into place (data first, so a reader never sees a model whose data file is
 * missing). On failure nothing is left behind. Output bytes depend only on the model and the
 * options, so the same input gives the same files.
 *
 * <p>Stateless and thread-safe.
 */
public final class ModelWriter {
    /** External tensors of at least 1 MiB start on a page boundary so runtimes can map them. */
    private static final long PAGE_ALIGN_FROM = 1 << 20;
    private static final int PAGE = 4096;
    private static final int SMALL_ALIGN = 64;

    /** What was written. {@code dataFile} is null when every tensor is inline. */
    public record Result(Path modelFile, Path dataFile, long modelBytes, long dataBytes, int externalTensors) {}

    private ModelWriter() {}

    public static Result write(OnnxModel model, Path out, WriteOptions options) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        try {
            return writeTo(model, out, target, options);
        } catch (ModelException e) {
            throw e;
        } catch (IOException e) {
            throw writeFailure(out, e);
        }
    }

    /**
     * A failure to write {@code out}, as one line that names the output the user gave, not the
     * temporary file next to it, and says why in words (the exception of a failed create names
     * only a path). For any writer of user-named outputs, not only models.
     */
    public static IOException writeFailure(Path out, IOException e) {
        String why;
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            why = e.getMessage() + " is in the way: it is a file where a folder is needed";
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            why = "cannot create a file in " + out.toAbsolutePath().getParent();
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            why = fse.getReason();
        } else {
            why = String.valueOf(e.getMessage());
        }
        return new IOException("cannot write " + out + ": " + why, e);
    }

    private static Result writeTo(OnnxModel model, Path out, Path target, WriteOptions options) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        String dataName = options.dataFileName() != null ? options.dataFileName() : target.getFileName() + ".data";
        Plan plan = new Plan(model, options, dataName);
        Onnx.ModelProto proto = plan.rewrite(model.proto());
        if (plan.inlineBytes > WriteOptions.PROTOBUF_LIMIT - (64L << 20)) {
            throw new ModelException(ModelException.Code.UNSUPPORTED, out, "the inline tensors total " + plan.inlineBytes
                    + " bytes, over protobuf's 2 GiB limit for one .onnx file; write with external data (a lower threshold)");
        }
        Path tmpModel = tempSibling(target);
        Path tmpData = plan.pending.isEmpty() ? null : tempSibling(dir.resolve(dataName));
        try {
            long dataBytes = 0;
            if (tmpData != null) {
                dataBytes = writeData(tmpData, plan.pending);
            }
            long modelBytes;
            try (FileChannel ch = FileChannel.open(tmpModel, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream os = Channels.newOutputStream(ch);
                CodedOutputStream cos = CodedOutputStream.newInstance(os, 1 << 20);
                proto.writeTo(cos);
                cos.flush();
                ch.force(true);
                modelBytes = ch.size();
            }
            Path dataFile = null;
            if (tmpData != null) {
                dataFile = dir.resolve(dataName);
                move(tmpData, dataFile);
            }
            move(tmpModel, target);
            return new Result(target, dataFile, modelBytes, dataBytes, plan.pending.size());
        } finally {
            Files.deleteIfExists(tmpModel);
            if (tmpData != null) {
                Files.deleteIfExists(tmpData);
            }
        }
    }

    private static long writeData(Path file, List<Pending> pending) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long end = 0;
            for (Pending p : pending) {
                ByteBuffer b = p.data.duplicate();
                long pos = p.offset;
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
                end = Math.max(end, pos);
            }
            ch.force(true);
            return end;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    private record Pending(ByteBuffer data, long offset) {}

    /** Decides where each tensor goes and rebuilds only the tensors that move. */
    private static final class Plan {
        private final OnnxModel model;
        private final WriteOptions options;
        private final String dataName;
        private final List<Pending> pending = new ArrayList<>();
        private long nextOffset;
        private long inlineBytes;

        Plan(OnnxModel model, WriteOptions options, String dataName) {
            this.model = model;
            this.options = options;
            this.dataName = dataName;
        }

        Onnx.ModelProto rewrite(Onnx.ModelProto m) throws ModelException {
            Onnx.ModelProto.Builder b = m.toBuilder();
            if (m.hasGraph()) {
                b.setGraph(graph(m.getGraph()));
            }
            return b.build();
        }

        private Onnx.GraphProto graph(Onnx.GraphProto g) throws ModelException {
            Onnx.GraphProto.Builder gb = null;
            for (int i = 0; i < g.getInitializerCount(); i++) {
                Onnx.TensorProto t = g.getInitializer(i);
                Onnx.TensorProto nt = tensor(t, true);
                if (nt != t) {
                    if (gb == null) {
                        gb = g.toBuilder();
                    }
                    gb.setInitializer(i, nt);
                }
            }
            for (int i = 0; i < g.getNodeCount(); i++) {
                Onnx.NodeProto n = g.getNode(i);
                Onnx.NodeProto nn = node(n);
                if (nn != n) {
                    if (gb == null) {
                        gb = g.toBuilder();
                    }
                    gb.setNode(i, nn);
                }
            }
            return gb == null ? g : gb.build();
        }

        private Onnx.NodeProto node(Onnx.NodeProto n) throws ModelException {
            Onnx.NodeProto.Builder nb = null;
            for (int i = 0; i < n.getAttributeCount(); i++) {
                Onnx.AttributeProto a = n.getAttribute(i);
                Onnx.AttributeProto.Builder ab = null;
                if (a.hasT()) {
                    // Constant values are weights too (some exporters keep every weight there);
                    // other ops' tensor attributes (ConstantOfShape's fill value) stay inline.
                    boolean movable = n.getOpType().equals("Constant") && a.getName().equals("value");
                    Onnx.TensorProto nt = tensor(a.getT(), movable);
                    if (nt != a.getT()) {
                        ab = a.toBuilder().setT(nt);
                    }
                }
                if (a.hasG()) {
                    Onnx.GraphProto ng = graph(a.getG());
                    if (ng != a.getG()) {
                        ab = (ab == null ? a.toBuilder() : ab).setG(ng);
                    }
                }
                for (int j = 0; j < a.getGraphsCount(); j++) {
                    Onnx.GraphProto ng = graph(a.getGraphs(j));
                    if (ng != a.getGraphs(j)) {
                        ab = (ab == null ? a.toBuilder() : ab).setGraphs(j, ng);
                    }
                }
                if (ab != null) {
                    if (nb == null) {
                        nb = n.toBuilder();
                    }
                    nb.setAttribute(i, ab);
                }
            }
            return nb == null ? n : nb.build();
        }

        /**
         * Movable tensors (initializers, Constant values) go external or inline by the options;
         * other tensors stay where the source had them.
         */
        private Onnx.TensorProto tensor(Onnx.TensorProto t, boolean movable) throws ModelException {
            boolean wasExternal = ExternalData.isExternal(t);
            long bytes = wasExternal ? -1 : t.getSerializedSize();
            boolean external;
            if (options.externalThreshold() < 0 || !movable) {
                external = wasExternal;
            } else {
                ByteBuffer data = model.tensorData(t);
                bytes = data.remaining();
                external = bytes >= options.externalThreshold() && bytes > 0;
            }
            if (external) {
                ByteBuffer data = model.tensorData(t);
                long len = data.remaining();
                long align = len >= PAGE_ALIGN_FROM ? PAGE : SMALL_ALIGN;
                long offset = (nextOffset + align - 1) / align * align;
                nextOffset = offset + len;
                pending.add(new Pending(data, offset));
                Onnx.TensorProto.Builder b = t.toBuilder()
                        .clearRawData().clearFloatData().clearInt32Data().clearInt64Data().clearDoubleData()
                        .clearUint64Data().clearExternalData()
                        .setDataLocation(Onnx.TensorProto.DataLocation.EXTERNAL);
                b.addExternalData(entry("location", dataName));
                b.addExternalData(entry("offset", Long.toString(offset)));
                b.addExternalData(entry("length", Long.toString(len)));
                return b.build();
            }
            if (wasExternal) {
                ByteBuffer data = model.tensorData(t);
                inlineBytes += data.remaining();
                return t.toBuilder().clearExternalData().clearDataLocation()
                        .setRawData(UnsafeByteOperations.unsafeWrap(data)).build();
            }
            inlineBytes += bytes;
            return t;
        }

        private static Onnx.StringStringEntryProto entry(String k, String v) {
            return Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
        }
    }
}
