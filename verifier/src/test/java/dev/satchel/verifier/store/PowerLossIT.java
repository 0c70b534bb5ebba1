package dev.satchel.verifier.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.bundle.BundleTestSupport;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.TestKeys;
import dev.satchel.verifier.bundle.VerifiedBundle;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an installing child JVM with SIGKILL at random instants (100 by default,
 * {@code -Dsatchel.powerloss.iterations=N}) and checks after each that the store opens to a
 * verified version that is either the one before the interrupted install or one it completed,
 * never a mix, with no staging leftovers.
 *
 * <p>SIGKILL loses the process, not the page cache: this proves the protocol's ordering (nothing
 * reaches a name the recovery trusts before it is complete). Durability across a real power cut
 * additionally rests on the fsyncs, which this test cannot observe.
 */
class PowerLossIT {
    static final long SEED = 1;
    static final int PAYLOAD = 3 << 20;
    static final int PER_CHILD = 3;

    @TempDir
    Path tmp;

    @Test
    void killDuringInstall_storeOpensToVerifiedOldOrNewVersion() throws Exception {
        int iterations = Integer.getInteger("satchel.powerloss.iterations", 100);
        TestKeys keys = TestKeys.generate(SEED);
        BundleVerifier verifier = BundleVerifier.create(keys.policy());
        Path store = tmp.resolve("store");
        Random random = new Random(42);
        long installed = 0;
        long windowNanos = -1;
        int killedMidway = 0;
        String classpath = privateClasspath(tmp.resolve("cp"));
        for (int it = 0; it < iterations; it++) {
            List<Path> inputs = new ArrayList<>();
            for (int k = 1; k <= PER_CHILD; k++) {
                long v = installed + k;
                Path p = tmp.resolve("in-" + k + ".bundle");
                Files.write(p, BundleTestSupport.bundle(keys, "tiny", v, BundleTestSupport.payload(v, PAYLOAD)));
                inputs.add(p);
            }
            Path errFile = tmp.resolve("child.err");
            Process child = start(store, inputs, errFile, classpath);
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!"READY".equals(first)) {
                child.waitFor();
                throw new AssertionError("iteration " + it + ": child did not start (" + first + "): "
                        + new String(Files.readAllBytes(errFile), StandardCharsets.UTF_8));
            }
            long started = System.nanoTime();
            if (windowNanos < 0) {
                // Calibration run: let the child finish to learn how long PER_CHILD installs take.
                assertEquals("DONE", out.readLine());
                windowNanos = System.nanoTime() - started;
                assertEquals(0, child.waitFor());
            } else {
                long delay = (long) (random.nextDouble() * 0.8 * windowNanos);
                TimeUnit.NANOSECONDS.sleep(delay);
                child.destroyForcibly();
                child.waitFor();
                if (child.exitValue() != 0) {
                    killedMidway++;
                }
            }
            try (ModelStore s = ModelStore.open(store, "tiny", verifier)) {
                long now = s.status().current();
                assertTrue(now >= installed && now <= installed + PER_CHILD,
                        "iteration " + it + ": store at v" + now + " after v" + installed);
                if (now > 0) {
                    VerifiedBundle b = s.current();
                    assertNotNull(b);
                    assertEquals(now, b.manifest().version());
                    ByteBuffer m = b.map("model.onnx");
                    byte[] got = new byte[m.remaining()];
                    m.get(got);
                    assertArrayEquals(BundleTestSupport.payload(now, PAYLOAD), got, "iteration " + it);
                }
                try (java.util.stream.Stream<Path> staging = Files.list(store.resolve(ModelStore.STAGING))) {
                    assertEquals(0, staging.count());
                }
                assertTrue(ModelStore.bundleFiles(store).size() <= 2);
                installed = now;
            }
        }
        assertTrue(killedMidway >= iterations / 3, "only " + killedMidway + " kills interrupted an install");
        System.out.println("power-loss: " + iterations + " iterations, " + killedMidway
                + " killed mid-run, final version " + installed + ", window " + windowNanos / 1_000_000 + " ms");
    }

    /**
     * Copies the test and main classes the child needs into a private directory: the working tree
     * is shared, and a concurrent build recompiling target/ must not pull classes from under a
     * child JVM halfway through the run.
     */
    private static String privateClasspath(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (Class<?> c : new Class<?>[] {PowerLossChild.class, ModelStore.class}) {
            Path src = Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dst = dir.resolve(Integer.toString(i++));
            if (Files.isDirectory(src)) {
                try (java.util.stream.Stream<Path> walk = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(t);
                        } else {
                            Files.copy(p, t);
                        }
                    }
                }
                out.add(dst.toString());
            } else {
                Files.createDirectories(dir);
                Path jar = dir.resolve(i + ".jar");
                Files.copy(src, jar);
                out.add(jar.toString());
            }
        }
        return String.join(File.pathSeparator, out);
    }

    private static Process start(Path store, List<Path> inputs, Path errFile, String classpath) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx64m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(PowerLossChild.class.getName());
        cmd.add(store.toString());
        cmd.add(Long.toString(SEED));
        for (Path p : inputs) {
            cmd.add(p.toString());
        }
        return new ProcessBuilder(cmd).redirectError(errFile.toFile()).start();
    }
}
