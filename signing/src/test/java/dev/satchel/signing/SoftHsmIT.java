package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.signature.VerifiedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKCS#11 end to end with a real SoftHSM2 token created here: the key pair is generated inside the
 * token (sensitive, never extractable), SunPKCS11 signs the model in a child JVM, and openssl plus
 * our verifier accept the signature with the public key read back from the token.
 * Needs softhsm2, opensc (pkcs11-tool), gnutls-bin (certtool) and openssl.
 */
class SoftHsmIT {
    private static final String PIN = "1234";

    @TempDir
    Path tmp;

    private static Path softhsmLibrary() {
        for (String p : new String[] {"/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
                "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so", "/usr/local/lib/softhsm/libsofthsm2.so"}) {
            if (Files.exists(Paths.get(p))) {
                return Paths.get(p);
            }
        }
        throw new AssertionError("libsofthsm2.so not found: install softhsm2 (see .ci/run)");
    }

    @Test
    void sign_withKeyGeneratedInSoftHsm_verifiesWithOpensslAndVerifier() throws Exception {
        Path lib = softhsmLibrary();
        Files.createDirectories(tmp.resolve("tokens"));
        Path conf = tmp.resolve("softhsm2.conf");
        Files.writeString(conf, "directories.tokendir = " + tmp.resolve("tokens") + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString(), "GNUTLS_PIN", PIN);
        ok(env, "softhsm2-util", "--init-token", "--free", "--label", "satchel", "--pin", PIN, "--so-pin", "5678");
        String gen = ok(env, "pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--keypairgen",
                "--key-type", "EC:prime256v1", "--label", "model-signing", "--id", "01");
        assertTrue(gen.contains("never extractable"), gen);
        // SunPKCS11 exposes a key under an alias only with a certificate of the same id: make one with the token key.
        Files.writeString(tmp.resolve("cert.tmpl"), "cn = \"satchel test hsm key\"\nexpiration_days = 30\nsigning_key\n");
        ok(env, "certtool", "--provider", lib.toString(), "--generate-self-signed",
                "--load-privkey", "pkcs11:token=satchel;object=model-signing;type=private",
                "--template", "cert.tmpl", "--outfile", "cert.pem");
        ok(env, "openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der");
        ok(env, "pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--write-object", "cert.der",
                "--type", "cert", "--id", "01", "--label", "model-signing");
        // The private key stays sensitive and non-extractable on the token (C_GetAttributeValue of its value fails).
        String objects = ok(env, "pkcs11-tool", "--module", lib.toString(), "--login", "--pin", PIN, "--list-objects",
                "--type", "privkey");
        assertTrue(objects.contains("sensitive, always sensitive, never extractable"), objects);
        // Public key as the token holds it, for the independent check.
        ok(env, "pkcs11-tool", "--module", lib.toString(), "--read-object", "--type", "pubkey", "--id", "01", "-o", "pub.der");
        ok(env, "openssl", "pkey", "-pubin", "-inform", "DER", "-in", "pub.der", "-out", "pub.pem");

        Path cfg = tmp.resolve("softhsm.cfg");
        Files.writeString(cfg, "name = SoftHSM\nlibrary = " + lib + "\nslotListIndex = 0\n");
        Path model = TestModels.model(tmp);
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String out = ok(env, java, "-cp", System.getProperty("java.class.path"), Pkcs11SignMain.class.getName(),
                cfg.toString(), "model-signing", PIN, model.toString());
        PublicKeyInfo tokenKey = KeyFiles.readPublicKey(tmp.resolve("pub.pem"));
        assertTrue(out.contains("keyId=" + tokenKey.keyId()), out);

        Path sig = model.resolve("model.sig");
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(sig));
        assertEquals(tokenKey.keyId(), b.publicKeyHint());
        Files.write(tmp.resolve("pae.bin"), b.pae());
        Files.write(tmp.resolve("sig.der"), b.signature());
        assertTrue(ok(env, "openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "pae.bin").contains("Verified OK"));
        VerifiedModel v = ModelSignatureVerifier.create(TrustConfig.ofPublicKey(tokenKey)).verify(model, sig);
        assertTrue(out.contains("root=" + v.rootDigest()), out);

        // Wrong PIN: a token error, not a crash, and no signature written.
        Files.delete(sig);
        Tools.Result wrong = Tools.run(tmp, env, java, "-cp", System.getProperty("java.class.path"),
                Pkcs11SignMain.class.getName(), cfg.toString(), "model-signing", "9999", model.toString());
        assertNotEquals(0, wrong.exit());
        assertTrue(wrong.output().contains("TOKEN_ERROR") || wrong.output().contains("token"), wrong.output());
        assertTrue(Files.notExists(sig));
    }

    private String ok(Map<String, String> env, String... cmd) throws Exception {
        Tools.Result r = Tools.run(tmp, env, cmd);
        if (r.exit() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r.output();
    }
}
