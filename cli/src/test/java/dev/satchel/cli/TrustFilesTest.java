package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken --trust or --public-key is bad input (exit 3) and the one-line error names that file. */
class TrustFilesTest {
    @TempDir
    Path dir;

    @Test
    void verifyCommands_brokenTrustFile_exit3NamingTheTrustFile() throws Exception {
        Path trust = dir.resolve("broken-trust.json");
        Files.writeString(trust, "{\"not\": \"a trust file\"");
        Path model = dir.resolve("m.bin");
        Files.write(model, new byte[] {1, 2, 3});
        for (String[] args : new String[][] {
            {"verify", dir.resolve("x.bundle").toString(), "--trust", trust.toString()},
            {"verify-signature", model.toString(), "--sig", dir.resolve("m.sig").toString(), "--trust", trust.toString()},
        }) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(3, r.exitCode(), args[0] + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains("broken-trust.json"), args[0] + ": " + r.err());
        }
    }

    @Test
    void verifyCommands_missingPublicKey_exit3NamingTheKeyFile() {
        Path pub = dir.resolve("nowhere.pub");
        CliRunner.Result r = CliRunner.run("verify", dir.resolve("x.bundle").toString(), "--public-key", pub.toString());
        assertEquals(3, r.exitCode(), r.err());
        assertTrue(r.err().contains("nowhere.pub: no such file"), r.err());
    }
}
