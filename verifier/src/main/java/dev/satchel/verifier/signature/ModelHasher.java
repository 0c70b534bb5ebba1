package dev.satchel.verifier.signature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes model files as OMS serializations define: whole-file SHA-256 ({@code files}) or SHA-256
 * per fixed-size byte range ({@code shards}). Files (and in shard mode, shards) are hashed in
 * parallel; content is read through memory maps in bounded windows so heap use stays small
 * whatever the model size. Stateless; each call uses its own short-lived thread pool.
 */
public final class ModelHasher {
    private static final long WINDOW = 256L << 20;
    private static final int BUFFER = 256 << 10;

    private ModelHasher() {}

    /** Hashes with as many threads as there are processors. */
    public static List<ResourceDigest> hash(List<ModelFile> files, Serialization serialization) throws IOException {
        return hash(files, serialization, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Hashes the files; results follow the file order (and shard order within a file). In shard
     * mode, empty files yield no resource (as in the reference implementation).
     */
    public static List<ResourceDigest> hash(List<ModelFile> files, Serialization serialization, int threads)
            throws IOException {
        List<Task> tasks = new ArrayList<>();
        String algorithm = serialization.resourceAlgorithm();
        for (ModelFile f : files) {
            if (serialization.sharded()) {
                for (long s = 0; s < f.size(); s += serialization.shardSize()) {
                    long e = Math.min(f.size(), s + serialization.shardSize());
                    tasks.add(new Task(ShardName.format(f.name(), s, e), f, s, e));
                }
            } else {
                tasks.add(new Task(f.name(), f, 0, f.size()));
            }
        }
        int n = Math.max(1, Math.min(threads, tasks.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "satchel-hash");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Task t : tasks) {
                futures.add(pool.submit(() -> Hex.encode(sha256(t.file, t.start, t.end))));
            }
            List<ResourceDigest> out = new ArrayList<>(tasks.size());
            for (int i = 0; i < tasks.size(); i++) {
                out.add(ResourceDigest.of(tasks.get(i).name, algorithm, futures.get(i).get()));
            }
            return out;
        } catch (ExecutionException ex) {
            Throwable c = ex.getCause();
            if (c instanceof IOException) {
                throw (IOException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new IOException(c);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", ex);
        } finally {
            pool.shutdownNow();
        }
    }

    /** SHA-256 of bytes {@code [start, end)} of a file, read through memory-mapped windows. */
    static byte[] sha256(ModelFile file, long start, long end) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(1, end - start))];
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < end) {
                throw new IOException("'" + file.name() + "': file shrank while hashing (" + size + " < " + end + " bytes)");
            }
            if (end - start < BUFFER) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) (end - start));
                long pos = start;
                while (bb.hasRemaining()) {
                    int r = ch.read(bb, pos);
                    if (r < 0) {
                        throw new IOException("'" + file.name() + "': unexpected end of file");
                    }
                    pos += r;
                }
                md.update(buf, 0, (int) (end - start));
                return md.digest();
            }
            for (long pos = start; pos < end; pos += WINDOW) {
                long len = Math.min(WINDOW, end - pos);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, len);
                while (map.hasRemaining()) {
                    int k = Math.min(buf.length, map.remaining());
                    map.get(buf, 0, k);
                    md.update(buf, 0, k);
                }
            }
        }
        return md.digest();
    }

    private static final class Task {
        final String name;
        final ModelFile file;
        final long start;
        final long end;

        Task(String name, ModelFile file, long start, long end) {
            this.name = name;
            this.file = file;
            this.start = start;
            this.end = end;
        }
    }
}
