package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code satchel sign --pkcs11-config FILE --key-alias A} against a SoftHSM2 token created here. */
class SignPkcs11IT {
    @TempDir
    Path tmp;

    @Test
    void sign_withPkcs11Key_verifiesWithExportedPublicKey() throws Exception {
        SoftHsmToken token = SoftHsmToken.create(tmp);
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.write(model.resolve("model.onnx"), new byte[] {8, 7, 18, 1, 'x'});

        String[] sign = {"sign", "model", "--pkcs11-config", "hsm.cfg", "--key-alias", "release", "--pin-file", "pin.txt"};
        String out = token.ok(SoftHsmToken.satchel(sign).toArray(String[]::new));
        assertTrue(out.contains("PKCS#11") && out.contains("re-verified OK"), out);
        assertTrue(token.ok(SoftHsmToken.satchel("verify-signature", "model", "--public-key", "release.pub")
                .toArray(String[]::new)).startsWith("verified model: 1 resources"));

        Files.writeString(tmp.resolve("pin.txt"), "000000\n");
        Files.delete(model.resolve("model.sig"));
        SoftHsmToken.Run wrongPin = token.run(Map.of(), SoftHsmToken.satchel(sign));
        assertEquals(3, wrongPin.exit(), wrongPin.out());
        assertTrue(wrongPin.out().startsWith("satchel: token SunPKCS11-SoftHSM"), wrongPin.out());
        assertTrue(Files.notExists(model.resolve("model.sig")));
    }
}
