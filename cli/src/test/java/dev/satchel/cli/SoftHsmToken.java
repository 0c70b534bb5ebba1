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

/**
 * A SoftHSM2 token made for one test in its folder: an ECDSA P-256 key pair labelled
 * {@code release} with a self-signed certificate (the form SunPKCS11 lists as a key entry),
 * {@code hsm.cfg} for SunPKCS11, {@code pin.txt} and the exported {@code release.pub}. The CLI
 * runs in a child JVM because SoftHSM2 reads SOFTHSM2_CONF when SunPKCS11 loads it. Needs
 * softhsm2, opensc, gnutls-bin and openssl (installed by .ci/run); a missing tool fails the test.
 */
final class SoftHsmToken {
    static final String PIN = "246810";

    record Run(int exit, String out) {}

    final Path dir;
    final Map<String, String> env;

    private SoftHsmToken(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    static SoftHsmToken create(Path dir) throws Exception {
        Path lib = List.of("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so").stream().map(Paths::get).filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError("libsofthsm2.so not found: install softhsm2 (see .ci/run)"));
        Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(dir.resolve("softhsm2.conf"), "directories.tokendir = " + dir.resolve("tokens")
                + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        SoftHsmToken t = new SoftHsmToken(dir, Map.of("SOFTHSM2_CONF", dir.resolve("softhsm2.conf").toString(), "GNUTLS_PIN", PIN));
        t.ok("softhsm2-util", "--init-token", "--free", "--label", "ci", "--pin", PIN, "--so-pin", "13579");
        t.ok("pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--keypairgen", "--key-type", "EC:prime256v1",
                "--label", "release", "--id", "02");
        Files.writeString(dir.resolve("tmpl"), "cn = \"ci release key\"\nexpiration_days = 30\nsigning_key\n");
        t.ok("certtool", "--provider", lib.toString(), "--generate-self-signed", "--load-privkey",
                "pkcs11:token=ci;object=release;type=private", "--template", "tmpl", "--outfile", "cert.pem");
        t.ok("openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der");
        t.ok("pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--write-object", "cert.der", "--type", "cert",
                "--id", "02", "--label", "release");
        t.ok("openssl", "x509", "-in", "cert.pem", "-pubkey", "-noout", "-out", "release.pub");
        Files.writeString(dir.resolve("hsm.cfg"), "name = SoftHSM\nlibrary = " + lib + "\nslotListIndex = 0\n");
        Files.writeString(dir.resolve("pin.txt"), PIN + "\n");
        return t;
    }

    /** Runs a command in the token's folder with its environment plus {@code extraEnv}. */
    Run run(Map<String, String> extraEnv, List<String> cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException ex) {
            throw new AssertionError("'" + cmd.get(0) + "' is required (see .ci/run): " + ex.getMessage(), ex);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        return new Run(p.exitValue(), out);
    }

    String ok(String... cmd) throws Exception {
        Run r = run(Map.of(), List.of(cmd));
        assertEquals(0, r.exit(), String.join(" ", cmd) + "\n" + r.out());
        return r.out();
    }

    /** The satchel CLI in a child JVM on this test's class path, followed by {@code args}. */
    static List<String> satchel(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
