package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * {@code satchel lab} end to end through the {@code docker} command (DeviceLabIT drives the same
 * lab through Testcontainers): one small model on the smallest device, JSON out, exit 0. Needs
 * lab/setup.sh to have run.
 */
class LabCommandIT {
    @Test
    void lab_int8MiniLmOnOneGigabytePhone_runsAndAgrees() throws Exception {
        Path work = Paths.get("target", "lab-command-it").toAbsolutePath();
        Files.createDirectories(work);
        Path json = work.resolve("lab.json");
        CliRunner.Result r = CliRunner.run("lab", "example:minilm-q", "--device", "android-go-1gb",
                "--dim", "batch_size=1", "--dim", "sequence_length=128", "--runs", "2", "--work", work.toString(),
                "--onnxruntime-jar", dev.satchel.cli.lab.DeviceLab.codeSource(ai.onnxruntime.OrtEnvironment.class).toString(),
                "-o", json.toString());
        assertEquals(0, r.exitCode(), r.err() + r.out());
        // The CPU quota depends on this host's clock and flags (docs/device-lab.md, CPU quota).
        assertTrue(java.util.regex.Pattern.compile("\\| android-go-1gb \\| 120\\.0 MiB \\| \\d\\.\\d\\d \\| "
                + "all-minilm-l6-v2-q \\| \\d+\\.\\d MiB \\| 80\\.0 MiB \\| fits \\| ran \\|").matcher(r.out()).find(), r.out());
        // The report files go next to the -o file: one model, so straight into that folder.
        String md = Files.readString(work.resolve("report.md"));
        assertTrue(md.contains("**Device lab**") && md.contains("| all-minilm-l6-v2-q |"), md);
        assertTrue(Files.readString(work.resolve("junit.xml")).contains("classname=\"satchel.lab.android-go-1gb\""));
        JsonObject o = Json.parseObject(Files.readAllBytes(json));
        assertEquals("satchel.lab/v1", o.string("schema"));
        assertTrue(o.bool("allAgree"));
        JsonObject row = o.array("results").object(0);
        assertEquals("ran", row.string("outcome"));
        assertTrue(row.object("update").string("output").startsWith("installed all-minilm-l6-v2-q/"), row.toString());
        long peak = ((Number) row.object("measured").get("cgroupPeakBytes")).longValue();
        assertTrue(peak > 0 && peak <= 120L * 1024 * 1024, "cgroup peak " + peak);
        assertTrue(new String(Files.readAllBytes(json), StandardCharsets.UTF_8).endsWith("}\n"));
    }
}
