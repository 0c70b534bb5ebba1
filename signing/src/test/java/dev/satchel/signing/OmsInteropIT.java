package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.TrustConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures made by {@link ModelSigner} checked by independent implementations: openssl (ECDSA
 * over the DSSE PAE, key hint), coreutils sha256sum + xxd (per-file and root digests), and
 * Sigstore's JavaScript verifier {@code @sigstore/verify} 4.1.3 on Node 20 (installed with npm into
 * target/ by this test). A one-byte payload change must be rejected by all of them.
 */
class OmsInteropIT {
    static Path sigstoreJs;

    @TempDir
    Path tmp;

    Path model;

    @BeforeAll
    static void installSigstoreJs() throws Exception {
        Path dir = Paths.get("target", "interop-npm").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "sigstore-verify.cjs")) {
            try (InputStream in = OmsInteropIT.class.getResourceAsStream("/interop/" + f)) {
                Files.copy(in, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@sigstore/verify"))) {
            Tools.ok(dir, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
        }
        String version = Tools.ok(dir, "node", "-p", "require('@sigstore/verify/package.json').version").trim();
        assertEquals("4.1.3", version);
        sigstoreJs = dir.resolve("sigstore-verify.cjs");
    }

    @BeforeEach
    void setUp() throws Exception {
        model = TestModels.model(tmp);
    }

    /** Writes pae.bin, sig.der and payload.json of a bundle into {@code dir}. */
    private static void unpack(Path bundleFile, Path dir) throws Exception {
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(bundleFile));
        Files.write(dir.resolve("pae.bin"), b.pae());
        Files.write(dir.resolve("sig.der"), b.signature());
        Files.write(dir.resolve("payload.json"), b.payload());
    }

    private Path signWithNewKey(KeyAlgorithm alg, String name) throws Exception {
        KeyFiles.writeKeyPair(KeyFiles.generate(alg), tmp.resolve(name), null);
        SigningKey key = KeyFiles.readPrivateKey(tmp.resolve(name + ".key"), null);
        return ModelSigner.sign(key, SignOptions.of(model)).signature();
    }

    @Test
    void p256Bundle_acceptedByOpensslAndSigstoreJs_hintAndDigestsRecompute() throws Exception {
        Path sig = signWithNewKey(KeyAlgorithm.ECDSA_P256, "ci");
        unpack(sig, tmp);
        // 1. openssl: ECDSA P-256/SHA-256 DER signature over the exact PAE bytes.
        String out = Tools.ok(tmp, "openssl", "dgst", "-sha256", "-verify", "ci.pub", "-signature", "sig.der", "pae.bin");
        assertTrue(out.contains("Verified OK"), out);
        // 2. hint == sha256 of openssl's canonical PEM.
        String hint = Tools.shOk(tmp, "openssl pkey -pubin -in ci.pub | sha256sum | cut -d' ' -f1").trim();
        assertEquals(hint, OmsBundle.parse(Files.readAllBytes(sig)).publicKeyHint());
        // 3. every resource digest with sha256sum, root digest = sha256(concat raw digests) with xxd + sha256sum.
        Map<?, ?> st = (Map<?, ?>) Json.parse(Files.readAllBytes(tmp.resolve("payload.json")));
        List<?> resources = (List<?>) ((Map<?, ?>) st.get("predicate")).get("resources");
        StringBuilder concat = new StringBuilder();
        for (Object o : resources) {
            Map<?, ?> r = (Map<?, ?>) o;
            String sum = Tools.ok(model, "sha256sum", (String) r.get("name")).split(" ")[0];
            assertEquals(sum, r.get("digest"), "digest of " + r.get("name"));
            concat.append(sum);
        }
        Files.writeString(tmp.resolve("concat.hex"), concat.toString());
        String root = Tools.shOk(tmp, "xxd -r -p concat.hex | sha256sum | cut -d' ' -f1").trim();
        String subjectDigest = (String) ((Map<?, ?>) ((Map<?, ?>) ((List<?>) st.get("subject")).get(0)).get("digest")).get("sha256");
        assertEquals(root, subjectDigest);
        String jqRoot = Tools.shOk(tmp, "jq -r '.predicate.resources[].digest' payload.json | tr -d '\\n' | xxd -r -p | sha256sum | cut -d' ' -f1").trim();
        assertEquals(root, jqRoot);
        // 4. Sigstore's JS verifier.
        Tools.Result js = Tools.run(tmp, "node", sigstoreJs.toString(), sig.toString(), "ci.pub");
        assertEquals("OK", js.output().trim(), js.output());
        assertEquals(0, js.exit());
    }

    @Test
    void payloadChangedByOneByte_rejectedByOpensslSigstoreJsAndUs() throws Exception {
        Path sig = signWithNewKey(KeyAlgorithm.ECDSA_P256, "ci");
        Files.write(sig, ModelSignerTest.tamperPayload(Files.readAllBytes(sig)));
        unpack(sig, tmp);
        Tools.Result ssl = Tools.run(tmp, "openssl", "dgst", "-sha256", "-verify", "ci.pub", "-signature", "sig.der", "pae.bin");
        assertNotEquals(0, ssl.exit(), ssl.output());
        assertTrue(ssl.output().contains("Verification failure"), ssl.output());
        Tools.Result js = Tools.run(tmp, "node", sigstoreJs.toString(), sig.toString(), "ci.pub");
        assertEquals(1, js.exit(), js.output());
        assertTrue(js.output().startsWith("FAILED"), js.output());
        ModelSignatureException ex = assertThrows(ModelSignatureException.class,
                () -> ModelSignatureVerifier.create(TrustConfig.ofPublicKey(KeyFiles.readPublicKey(tmp.resolve("ci.pub"))))
                        .verify(model, sig));
        assertEquals(ModelSignatureException.Code.BAD_SIGNATURE, ex.code());
    }

    @Test
    void p384Bundle_acceptedByOpensslWithSha384() throws Exception {
        Path sig = signWithNewKey(KeyAlgorithm.ECDSA_P384, "p384");
        unpack(sig, tmp);
        String out = Tools.ok(tmp, "openssl", "dgst", "-sha384", "-verify", "p384.pub", "-signature", "sig.der", "pae.bin");
        assertTrue(out.contains("Verified OK"), out);
    }

    @Test
    void ed25519Bundle_acceptedByOpensslPkeyutl() throws Exception {
        Path sig = signWithNewKey(KeyAlgorithm.ED25519, "ed");
        unpack(sig, tmp);
        String out = Tools.ok(tmp, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "ed.pub", "-rawin", "-in", "pae.bin",
                "-sigfile", "sig.der");
        assertTrue(out.contains("Signature Verified Successfully"), out);
    }

    @Test
    void opensslEncryptedPkcs8Key_signsAndOpensslVerifies() throws Exception {
        Tools.ok(tmp, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc",
                "-pass", "pass:s3cret pass", "-out", "enc.key");
        Tools.ok(tmp, "openssl", "pkey", "-in", "enc.key", "-passin", "pass:s3cret pass", "-pubout", "-out", "enc.pub");
        assertTrue(Files.readString(tmp.resolve("enc.key")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        SigningKey key = KeyFiles.readPrivateKey(tmp.resolve("enc.key"), "s3cret pass".toCharArray());
        assertEquals(KeyFiles.readPublicKey(tmp.resolve("enc.pub")), key.publicKey());
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        unpack(sig, tmp);
        assertTrue(Tools.ok(tmp, "openssl", "dgst", "-sha256", "-verify", "enc.pub", "-signature", "sig.der", "pae.bin")
                .contains("Verified OK"));
        // And the other way round: a key we encrypted opens in openssl.
        KeyFiles.writeKeyPair(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), tmp.resolve("ours"), "pw 2".toCharArray());
        String pub = Tools.ok(tmp, "openssl", "pkey", "-in", "ours.key", "-passin", "pass:pw 2", "-pubout");
        assertEquals(Files.readString(tmp.resolve("ours.pub")), pub);
    }

    @Test
    void certificateBundle_chainVerifiesWithOpensslAndLeafKeySignature() throws Exception {
        java.security.KeyPair caPair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        java.time.Instant now = java.time.Instant.now();
        java.security.cert.X509Certificate ca = TestModels.certificate("CN=Org CA", caPair, "CN=Org CA", caPair, true,
                org.bouncycastle.asn1.x509.KeyUsage.keyCertSign, now.minusSeconds(3600), now.plusSeconds(86400));
        java.security.KeyPair leafPair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        java.security.cert.X509Certificate leaf = TestModels.certificate("CN=ci", leafPair, "CN=Org CA", caPair, false,
                org.bouncycastle.asn1.x509.KeyUsage.digitalSignature, now.minusSeconds(3600), now.plusSeconds(86400));
        SigningKey key = KeyFiles.signingKey(leafPair, "leaf").withCertificateChain(List.of(leaf));
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(sig));
        Files.write(tmp.resolve("leaf.der"), b.certificates().get(0));
        Files.writeString(tmp.resolve("ca.pem"), dev.satchel.verifier.signature.Pem.encode("CERTIFICATE", ca.getEncoded()));
        Tools.ok(tmp, "openssl", "x509", "-inform", "DER", "-in", "leaf.der", "-out", "leaf.pem");
        assertTrue(Tools.ok(tmp, "openssl", "verify", "-CAfile", "ca.pem", "leaf.pem").contains("leaf.pem: OK"));
        Tools.ok(tmp, "openssl", "x509", "-in", "leaf.pem", "-pubkey", "-noout", "-out", "leaf.pub");
        unpack(sig, tmp);
        assertTrue(Tools.ok(tmp, "openssl", "dgst", "-sha256", "-verify", "leaf.pub", "-signature", "sig.der", "pae.bin")
                .contains("Verified OK"));
        assertTrue(Tools.ok(tmp, "openssl", "x509", "-in", "leaf.pem", "-noout", "-ext", "keyUsage").contains("Digital Signature"));
    }
}
