package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DamagedKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void readPrivateKey_damagedBase64_keyInvalidNamingTheFile() throws Exception {
        Path f = dir.resolve("broken.key");
        Files.writeString(f, "-----BEGIN PRIVATE KEY-----\nMIG%%%not*base64!!\n-----END PRIVATE KEY-----\n");
        SigningException e = assertThrows(SigningException.class, () -> KeyFiles.readPrivateKey(f, null));
        assertEquals(SigningException.Code.KEY_INVALID, e.code());
        assertTrue(e.getMessage().contains("broken.key"), e.getMessage());
    }
}
