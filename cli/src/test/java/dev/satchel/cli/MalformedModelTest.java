package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.model.onnx.Onnx;
import dev.satchel.testing.TinyModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of broken models: each must give exit code 3 and exactly one line on stderr that
 * names the file and the problem, with no stack trace unless --stacktrace is given.
 */
class MalformedModelTest {
    @TempDir
    Path dir;

    private void assertOneLineError(Path model, String expectedPhrase) {
        CliRunner.Result r = CliRunner.run("inspect", model.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.errLines().length, "one line: " + r.err());
        String line = r.errLines()[0];
        assertTrue(line.startsWith("satchel: "), line);
        assertTrue(line.contains(model.getFileName().toString()), "names the file: " + line);
        assertTrue(line.contains(expectedPhrase), "says '" + expectedPhrase + "': " + line);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals("", r.out());

        CliRunner.Result withTrace = CliRunner.run("inspect", model.toString(), "--stacktrace");
        assertEquals(3, withTrace.exitCode());
        assertTrue(withTrace.err().contains("\tat dev.satchel"), "--stacktrace shows where");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void inspect_truncatedFile_exit3Truncated() throws Exception {
        byte[] full = TinyModels.mlp().toByteArray();
        assertOneLineError(write("cut.onnx", Arrays.copyOf(full, full.length * 2 / 3)), "truncated");
    }

    @Test
    void inspect_emptyFile_exit3() throws Exception {
        assertOneLineError(write("empty.onnx", new byte[0]), "empty");
    }

    @Test
    void inspect_randomBytes_exit3NotOnnx() throws Exception {
        byte[] b = new byte[4096];
        new SplittableRandom(7).nextBytes(b);
        b[0] = 0x05; // keep clear of the recognised foreign headers: this is noise, not a format
        CliRunner.Result r = CliRunner.run("inspect", write("noise.onnx", b).toString());
        assertEquals(3, r.exitCode(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("noise.onnx") && (r.err().contains("not a valid ONNX") || r.err().contains("truncated")), r.err());
    }

    @Test
    void inspect_zipMagic_exit3SaysWhatItIs() throws Exception {
        byte[] b = ("PK\u0003\u0004" + "rest of a zip").getBytes(StandardCharsets.ISO_8859_1);
        assertOneLineError(write("model.pt", b), "ZIP archive");
    }

    @Test
    void inspect_tfliteMagic_exit3SaysWhatItIs() throws Exception {
        byte[] b = ("\u001c\u0000\u0000\u0000TFL3" + "flatbuffer").getBytes(StandardCharsets.ISO_8859_1);
        assertOneLineError(write("model.tflite", b), "TensorFlow Lite");
    }

    @Test
    void inspect_protobufWithoutGraph_exit3() throws Exception {
        byte[] b = Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("x").build().toByteArray();
        assertOneLineError(write("nograph.onnx", b), "no graph");
    }

    @Test
    void inspect_graphWithCycle_exit3NamesNode() throws Exception {
        assertOneLineError(write("cycle.onnx", TinyModels.cycle().toByteArray()), "cycle");
    }

    @Test
    void inspect_danglingInput_exit3NamesValue() throws Exception {
        assertOneLineError(write("dangling.onnx", TinyModels.dangling().toByteArray()), "'ghost'");
    }

    @Test
    void inspect_externalDataWithDotDot_exit3Escapes() throws Exception {
        Files.write(dir.resolve("secret.bin"), new byte[16]);
        Path sub = Files.createDirectories(dir.resolve("m"));
        Path m = sub.resolve("dotdot.onnx");
        Files.write(m, TinyModels.externalWeight("../secret.bin", 0, 16).toByteArray());
        assertOneLineError(m, "contains '..'");
    }

    @Test
    void inspect_externalDataAbsolutePath_exit3Escapes() throws Exception {
        assertOneLineError(write("abs.onnx", TinyModels.externalWeight("/etc/passwd", 0, 16).toByteArray()), "absolute path");
    }

    @Test
    void inspect_externalDataSymlinkOutside_exit3Escapes() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside")).resolve("w.bin");
        Files.write(outside, new byte[16]);
        Path sub = Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(sub.resolve("w.bin"), outside);
        Path m = sub.resolve("link.onnx");
        Files.write(m, TinyModels.externalWeight("w.bin", 0, 16).toByteArray());
        assertOneLineError(m, "symlink");
    }

    @Test
    void inspect_externalDataPastEndOfFile_exit3OutOfRange() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[16]);
        assertOneLineError(write("eof.onnx", TinyModels.externalWeight("w.bin", 8, 16).toByteArray()), "past the end");
    }

    @Test
    void inspect_externalDataMissing_exit3() throws Exception {
        assertOneLineError(write("missing.onnx", TinyModels.externalWeight("nowhere.bin", 0, 16).toByteArray()), "does not exist");
    }

    @Test
    void inspect_externalDataShorterThanDims_exit3() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[64]);
        assertOneLineError(write("short.onnx", TinyModels.externalWeight("w.bin", 0, 8).toByteArray()), "need 16");
    }

    @Test
    void inspect_noSuchFile_exit3() {
        CliRunner.Result r = CliRunner.run("inspect", dir.resolve("nope.onnx").toString());
        assertEquals(3, r.exitCode());
        assertEquals(1, r.errLines().length);
        assertTrue(r.err().contains("nope.onnx: no such file"), r.err());
    }

    @Test
    void inspect_directory_exit3() {
        CliRunner.Result r = CliRunner.run("inspect", dir.toString());
        assertEquals(3, r.exitCode());
        assertTrue(r.err().contains("is a directory"), r.err());
    }
}
