package dev.satchel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code satchel sign --pkcs11-config FILE --key-alias A} against a SoftHSM2 token created here. The
 * CLI runs in a child JVM because SoftHSM2 reads SOFTHSM2_CONF when SunPKCS11 loads it. Needs
 * softhsm2, opensc, gnutls-bin, openssl (installed by .ci/run); a missing tool fails the test.
 */
class SignPkcs11IT {
    private static final String PIN = "246810";

    @TempDir
    Path tmp;

    record Run(int exit, String out) {}

    private Run run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            throw new AssertionError("'" + cmd[0] + "' is required (see .ci/run): " + ex.getMessage(), ex);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Run(p.exitValue(), out);
    }

    private String ok(Map<String, String> env, String... cmd) throws Exception {
        Run r = run(env, cmd);
        assertEquals(0, r.exit(), String.join(" ", cmd) + "\n" + r.out());
        return r.out();
    }

    @Test
    void sign_withPkcs11Key_verifiesWithExportedPublicKey() throws Exception {
        Path lib = List.of("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so").stream().map(Paths::get).filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError("libsofthsm2.so not found: install softhsm2 (see .ci/run)"));
        Files.createDirectories(tmp.resolve("tokens"));
        Files.writeString(tmp.resolve("softhsm2.conf"), "directories.tokendir = " + tmp.resolve("tokens")
                + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Map<String, String> env = Map.of("SOFTHSM2_CONF", tmp.resolve("softhsm2.conf").toString(), "GNUTLS_PIN", PIN);
        ok(env, "softhsm2-util", "--init-token", "--free", "--label", "ci", "--pin", PIN, "--so-pin", "13579");
        ok(env, "pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--keypairgen", "--key-type", "EC:prime256v1",
                "--label", "release", "--id", "02");
        Files.writeString(tmp.resolve("tmpl"), "cn = \"ci release key\"\nexpiration_days = 30\nsigning_key\n");
        ok(env, "certtool", "--provider", lib.toString(), "--generate-self-signed", "--load-privkey",
                "pkcs11:token=ci;object=release;type=private", "--template", "tmpl", "--outfile", "cert.pem");
        ok(env, "openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der");
        ok(env, "pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--write-object", "cert.der", "--type", "cert",
                "--id", "02", "--label", "release");
        ok(env, "openssl", "x509", "-in", "cert.pem", "-pubkey", "-noout", "-out", "release.pub");
        Files.writeString(tmp.resolve("hsm.cfg"), "name = SoftHSM\nlibrary = " + lib + "\nslotListIndex = 0\n");
        Files.writeString(tmp.resolve("pin.txt"), PIN + "\n");
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.write(model.resolve("model.onnx"), new byte[] {8, 7, 18, 1, 'x'});

        List<String> satchel = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        List<String> sign = new ArrayList<>(satchel);
        sign.addAll(List.of("sign", "model", "--pkcs11-config", "hsm.cfg", "--key-alias", "release", "--pin-file", "pin.txt"));
        String out = ok(env, sign.toArray(new String[0]));
        assertTrue(out.contains("PKCS#11") && out.contains("re-verified OK"), out);
        List<String> verify = new ArrayList<>(satchel);
        verify.addAll(List.of("verify-signature", "model", "--public-key", "release.pub"));
        assertTrue(ok(env, verify.toArray(new String[0])).startsWith("verified model: 1 resources"));

        Files.writeString(tmp.resolve("pin.txt"), "000000\n");
        Files.delete(model.resolve("model.sig"));
        Run wrongPin = run(env, sign.toArray(new String[0]));
        assertEquals(3, wrongPin.exit(), wrongPin.out());
        assertTrue(wrongPin.out().startsWith("satchel: token SunPKCS11-SoftHSM"), wrongPin.out());
        assertTrue(Files.notExists(model.resolve("model.sig")));
    }
}
