package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code satchel repo} and {@code satchel publish}: exit codes and one-line refusals. */
class RepoCommandsTest {
    @TempDir
    Path tmp;
    Path site;

    String key(String name, String alg) {
        Path prefix = tmp.resolve(name);
        assertEquals(0, CliRunner.run("keygen", "--algorithm", alg, "--out", prefix.toString()).exitCode());
        return prefix.toString();
    }

    @BeforeEach
    void setUp() {
        site = tmp.resolve("site");
        String k = key("k", "ed25519");
        CliRunner.Result r = CliRunner.run("repo", "init", "--repo", site.toString(), "--root-key", k + ".key",
                "--targets-key", k + ".key", "--snapshot-key", k + ".key", "--timestamp-key", k + ".key");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ship " + site.resolve("metadata/1.root.json")), r.out());
    }

    Path bundle(String signingKey) throws Exception {
        Path m = tmp.resolve("m");
        Files.createDirectories(m);
        Files.write(m.resolve("model.onnx"), TinyModels.mlp().toByteArray());
        Path out = tmp.resolve("tiny-" + System.nanoTime() + ".bundle");
        CliRunner.Result r = CliRunner.run("pack", m.toString(), "-o", out.toString(), "--name", "tiny", "--version", "1",
                "--key", signingKey + ".key");
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @Test
    void init_again_exit3AlreadyInitialised() {
        String k = tmp.resolve("k").toString();
        CliRunner.Result r = CliRunner.run("repo", "init", "--repo", site.toString(), "--root-key", k + ".key",
                "--targets-key", k + ".key", "--snapshot-key", k + ".key", "--timestamp-key", k + ".key");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().startsWith("satchel: ALREADY_INITIALISED: "), r.err());
    }

    @Test
    void publish_keyNotInRepository_exit3KeysMissingAndNothingWritten() throws Exception {
        String rel = key("rel", "ecdsa-p256");
        String other = key("other", "ed25519");
        CliRunner.Result r = CliRunner.run("publish", bundle(rel).toString(), "--repo", site.toString(),
                "--public-key", rel + ".pub", "--keys", other + ".key");
        assertEquals(3, r.exitCode());
        assertTrue(r.err().startsWith("satchel: KEYS_MISSING: targets (root version 1) needs 1 of the keys"), r.err());
        assertFalse(Files.exists(site.resolve("targets/tiny")));
        assertFalse(Files.exists(site.resolve("metadata/2.targets.json")));
    }

    @Test
    void publish_bundleFromOtherSigner_exit4BeforeTouchingRepository() throws Exception {
        String rel = key("rel", "ecdsa-p256");
        String other = key("other", "ecdsa-p256");
        CliRunner.Result r = CliRunner.run("publish", bundle(other).toString(), "--repo", site.toString(),
                "--public-key", rel + ".pub", "--keys", tmp.resolve("k") + ".key");
        assertEquals(4, r.exitCode());
        assertTrue(r.err().contains("SIGNATURE_INVALID"), r.err());
        assertFalse(Files.exists(site.resolve("metadata/2.targets.json")));
    }

    @Test
    void publishThenRotateThenRefresh_versionsAdvance() throws Exception {
        String rel = key("rel", "ecdsa-p256");
        String k = tmp.resolve("k").toString();
        CliRunner.Result p = CliRunner.run("publish", bundle(rel).toString(), "--repo", site.toString(),
                "--public-key", rel + ".pub", "--keys", k + ".key");
        assertEquals(0, p.exitCode(), p.err());
        assertTrue(p.out().startsWith("published tiny/tiny-1.bundle ("), p.out());
        String ts = key("ts", "ed25519");
        CliRunner.Result rot = CliRunner.run("repo", "rotate-key", "--repo", site.toString(), "--role", "timestamp",
                "--new-key", ts + ".key", "--keys", k + ".key");
        assertEquals(0, rot.exitCode(), rot.err());
        assertTrue(Files.exists(site.resolve("metadata/2.root.json")));
        CliRunner.Result old = CliRunner.run("repo", "refresh-timestamp", "--repo", site.toString(), "--keys", k + ".key");
        assertEquals(3, old.exitCode(), "the old timestamp key no longer counts");
        assertTrue(old.err().startsWith("satchel: KEYS_MISSING: timestamp (root version 2)"), old.err());
        CliRunner.Result ok = CliRunner.run("repo", "refresh-timestamp", "--repo", site.toString(), "--keys", ts + ".key");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().startsWith("timestamp version 4 written"), ok.out());
    }

    @Test
    void rotateKey_unknownRole_exit2() {
        CliRunner.Result r = CliRunner.run("repo", "rotate-key", "--repo", site.toString(), "--role", "mirrors",
                "--new-key", tmp.resolve("k") + ".pub");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--role: expected root, targets, snapshot or timestamp, got 'mirrors'"), r.err());
    }

    @Test
    void help_publishAndRepoCommands_matchGoldensAndShowExamples() throws Exception {
        String[][] commands = {{"publish"}, {"repo"}, {"repo", "init"}, {"repo", "rotate-key"}, {"repo", "refresh-timestamp"}};
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("Examples:"), String.join(" ", c));
            Golden.assertMatches("help-" + String.join("-", c) + ".txt", r.out());
        }
    }
}
