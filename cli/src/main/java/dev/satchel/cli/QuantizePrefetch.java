package dev.satchel.cli;

import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.packager.quantize.Quantizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Start-up overlap for {@code satchel quantize MODEL ...}: on a cold JVM picocli spends about a
 * tenth of a second building the command model by reflection, on one core. Meanwhile a second
 * thread reads the model (memory-mapped, graph parsed, weights left in the file) and runs the
 * quantization kernels once on a small matrix so that the JIT has compiled them when the weights
 * arrive.
 *
 * <p>Only the plain form, a model file right after the subcommand, is read ahead. The command uses
 * the result only for the very same path and only if the read succeeded; otherwise it reads the
 * model itself, so errors are reported exactly as without the prefetch.
 */
final class QuantizePrefetch {
    private static volatile QuantizePrefetch started;

    private final Path path;
    private final CompletableFuture<OnnxModel> model = new CompletableFuture<>();

    private QuantizePrefetch(Path path) {
        this.path = path;
    }

    /** Starts reading ahead if {@code args} are {@code [global options] quantize FILE ...}. */
    static void startIfQuantize(String[] args) {
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            i++;
        }
        if (i + 1 >= args.length || !args[i].equals("quantize")) {
            return;
        }
        String arg = args[i + 1];
        if (arg.startsWith("-") || arg.startsWith(ModelPaths.PREFIX)) {
            return;
        }
        Path path;
        try {
            path = Paths.get(arg);
        } catch (RuntimeException e) {
            return;
        }
        if (!Files.isRegularFile(path)) {
            return;
        }
        QuantizePrefetch p = new QuantizePrefetch(path);
        started = p;
        Thread t = new Thread(p::run, "satchel-prefetch");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        try {
            model.complete(ModelReader.read(path));
        } catch (Throwable e) {
            model.completeExceptionally(e);
        }
        try {
            Quantizer.warmUp();
        } catch (Throwable ignored) {
            // Only a speed-up: the run compiles the kernels itself.
        }
    }

    /**
     * The model read ahead from {@code source}, waiting for the read if it is still going; null if
     * nothing was read ahead for that path or the read failed (the caller then reads it and reports
     * the error itself).
     */
    static OnnxModel take(Path source) {
        QuantizePrefetch p = started;
        if (p == null || !p.path.equals(source)) {
            return null;
        }
        started = null;
        try {
            return p.model.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }
}
