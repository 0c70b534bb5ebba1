package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.ModelSignatureException.Code;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.signature.VerifiedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trust files: validity windows, rotation, revocation, certificate chains. */
class TrustTest {
    /** Signing self-checks with the system clock, so certificates in these tests are valid now. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path tmp;

    Path model;
    SigningKey oldKey;
    SigningKey newKey;

    @BeforeEach
    void setUp() throws Exception {
        model = TestModels.model(tmp);
        oldKey = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "old");
        newKey = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "new");
    }

    private static ModelSignatureVerifier verifier(TrustFileBuilder b) throws ModelSignatureException {
        return ModelSignatureVerifier.create(TrustConfig.parse(b.toJson())).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path signWith(SigningKey k) throws Exception {
        return ModelSigner.sign(k, SignOptions.of(model)).signature();
    }

    @Test
    void listedKey_withinValidity_verifies() throws Exception {
        Path sig = signWith(oldKey);
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), NOW.minus(1, ChronoUnit.DAYS), NOW.plus(1, ChronoUnit.DAYS));
        VerifiedModel v = verifier(t).verify(model, sig);
        assertTrue(v.signerDescription().contains("(listed)"), v.signerDescription());
    }

    @Test
    void listedKey_afterNotAfter_isKeyExpired() throws Exception {
        Path sig = signWith(oldKey);
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, NOW.minus(1, ChronoUnit.SECONDS));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sig));
        assertEquals(Code.KEY_EXPIRED, ex.code());
        assertTrue(ex.getMessage().contains("now is " + NOW), ex.getMessage());
    }

    @Test
    void rotation_oldKeyEndorsesNew_deviceTrustingOldAcceptsNew() throws Exception {
        Path sig = signWith(newKey);
        TrustFileBuilder onlyOld = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null);
        assertEquals(Code.UNTRUSTED_KEY, assertThrows(ModelSignatureException.class, () -> verifier(onlyOld).verify(model, sig)).code());
        TrustFileBuilder rotated = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(oldKey, newKey.publicKey(), null);
        VerifiedModel v = verifier(rotated).verify(model, sig);
        assertTrue(v.signerDescription().contains("endorsed by rotation from " + oldKey.publicKey().keyId()), v.signerDescription());
    }

    @Test
    void rotation_chainOfTwo_andExpiryOnRecord() throws Exception {
        SigningKey third = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ED25519), "third");
        Path sig = signWith(third);
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(newKey, third.publicKey(), NOW.minus(1, ChronoUnit.DAYS))   // listed before its endorser
                .addRotation(oldKey, newKey.publicKey(), null);
        assertEquals(Code.KEY_EXPIRED, assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sig)).code());
    }

    @Test
    void rotation_signedByUnknownKey_isUntrustedAtLoad() throws Exception {
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(newKey, newKey.publicKey(), null);
        assertEquals(Code.UNTRUSTED_KEY, assertThrows(ModelSignatureException.class, () -> TrustConfig.parse(t.toJson())).code());
    }

    @Test
    void rotation_tamperedRecord_isBadSignatureAtLoad() throws Exception {
        SigningKey attacker = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "attacker");
        String good = new String(TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(oldKey, newKey.publicKey(), null).toJson(), StandardCharsets.UTF_8);
        String forged = new String(TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(oldKey, attacker.publicKey(), null).toJson(), StandardCharsets.UTF_8);
        // Graft the forged payload under the genuine signature.
        String goodPayload = good.split("\"payload\": \"")[1].split("\"")[0];
        String forgedPayload = forged.split("\"payload\": \"")[1].split("\"")[0];
        byte[] tampered = good.replace(goodPayload, forgedPayload).getBytes(StandardCharsets.UTF_8);
        assertEquals(Code.BAD_SIGNATURE, assertThrows(ModelSignatureException.class, () -> TrustConfig.parse(tampered)).code());
    }

    @Test
    void revocation_revokedKey_isKeyRevokedAndEndorsesNothing() throws Exception {
        Path sigOld = signWith(oldKey);
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRotation(oldKey, newKey.publicKey(), null)
                .addRevocationList(newKey, Map.of(oldKey.publicKey().keyId(), "key compromise"), NOW);
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sigOld));
        assertEquals(Code.KEY_REVOKED, ex.code());
        assertTrue(ex.getMessage().contains("key compromise"), ex.getMessage());
        // newKey was only trusted through oldKey's rotation record, which no longer counts.
        Path sigNew = signWith(newKey);
        assertEquals(Code.UNTRUSTED_KEY, assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sigNew)).code());
        // Listing newKey directly keeps it.
        TrustFileBuilder kept = TrustFileBuilder.from(t.toJson()).addKey(newKey.publicKey(), null, null);
        verifier(kept).verify(model, sigNew);
    }

    @Test
    void revocation_signedByUntrustedKey_isRejectedAtLoad() throws Exception {
        SigningKey stranger = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "stranger");
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null)
                .addRevocationList(stranger, Map.of(oldKey.publicKey().keyId(), "spite"), NOW);
        assertEquals(Code.UNTRUSTED_KEY, assertThrows(ModelSignatureException.class, () -> TrustConfig.parse(t.toJson())).code());
    }

    // ---------------------------------------------------------------- certificates

    KeyPair caPair;
    X509Certificate ca;
    KeyPair leafPair;

    private SigningKey leafSigner(int keyUsage, Instant notBefore, Instant notAfter) throws Exception {
        caPair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        ca = TestModels.certificate("CN=Example Org CA", caPair, "CN=Example Org CA", caPair, true,
                KeyUsage.keyCertSign | KeyUsage.cRLSign, NOW.minus(3650, ChronoUnit.DAYS), NOW.plus(3650, ChronoUnit.DAYS));
        leafPair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        X509Certificate leaf = TestModels.certificate("CN=ci-signer", leafPair, "CN=Example Org CA", caPair, false,
                keyUsage, notBefore, notAfter);
        return KeyFiles.signingKey(leafPair, "leaf").withCertificateChain(List.of(leaf));
    }

    @Test
    void certificate_chainedToTrustedCa_verifies() throws Exception {
        SigningKey leaf = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(leaf, SignOptions.of(model)).signature();
        assertTrue(Files.readString(sig).contains("x509CertificateChain"));
        VerifiedModel v = verifier(TrustFileBuilder.create().addCertificateAuthority(ca)).verify(model, sig);
        assertTrue(v.signerDescription().startsWith("certificate CN=ci-signer"), v.signerDescription());
    }

    @Test
    void certificate_otherCa_isUntrustedKey() throws Exception {
        SigningKey leaf = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(leaf, SignOptions.of(model)).signature();
        KeyPair otherPair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        X509Certificate other = TestModels.certificate("CN=Other CA", otherPair, "CN=Other CA", otherPair, true,
                KeyUsage.keyCertSign, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class,
                () -> verifier(TrustFileBuilder.create().addCertificateAuthority(other)).verify(model, sig));
        assertEquals(Code.UNTRUSTED_KEY, ex.code());
        assertTrue(ex.getMessage().contains("does not chain to a trusted authority [CN=Other CA]"), ex.getMessage());
    }

    @Test
    void certificate_withoutDigitalSignatureUsage_isUntrustedKey() throws Exception {
        SigningKey good = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(good, SignOptions.of(model)).signature();
        // The signer refuses a certificate without digitalSignature (its self-check fails) ...
        X509Certificate encipherOnly = TestModels.certificate("CN=ci-signer", leafPair, "CN=Example Org CA", caPair, false,
                KeyUsage.keyEncipherment, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        SigningKey bad = KeyFiles.signingKey(leafPair, "leaf").withCertificateChain(List.of(encipherOnly));
        SigningException refused = assertThrows(SigningException.class,
                () -> ModelSigner.sign(bad, SignOptions.of(model).withSignature(tmp.resolve("bad.sig"))));
        assertEquals(SigningException.Code.SELF_CHECK_FAILED, refused.code());
        assertTrue(Files.notExists(tmp.resolve("bad.sig")), "a signature that fails its self-check is removed");
        // ... and a verifier rejects a bundle carrying one, made by hand with the same key.
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(sig));
        Files.write(sig, OmsBundle.forCertificates(List.of(encipherOnly.getEncoded()), b.payload(), b.signature()).toJson());
        ModelSignatureException ex = assertThrows(ModelSignatureException.class,
                () -> verifier(TrustFileBuilder.create().addCertificateAuthority(ca)).verify(model, sig));
        assertEquals(Code.UNTRUSTED_KEY, ex.code());
        assertTrue(ex.getMessage().contains("key usage expected digitalSignature"), ex.getMessage());
    }

    @Test
    void certificate_expired_isKeyExpired() throws Exception {
        SigningKey leaf = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(leaf, SignOptions.of(model)).signature();
        Instant later = NOW.plus(31, ChronoUnit.DAYS);
        ModelSignatureVerifier v = ModelSignatureVerifier.create(
                TrustConfig.parse(TrustFileBuilder.create().addCertificateAuthority(ca).toJson()))
                .withClock(Clock.fixed(later, ZoneOffset.UTC));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> v.verify(model, sig));
        assertEquals(Code.KEY_EXPIRED, ex.code());
        assertTrue(ex.getMessage().contains("now is " + later), ex.getMessage());
    }

    @Test
    void certificate_revokedLeafKey_isKeyRevoked() throws Exception {
        SigningKey leaf = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(leaf, SignOptions.of(model)).signature();
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null).addCertificateAuthority(ca)
                .addRevocationList(oldKey, Map.of(leaf.publicKey().keyId(), "laptop stolen"), NOW);
        assertEquals(Code.KEY_REVOKED, assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sig)).code());
    }

    @Test
    void certificate_revokedRootKey_isKeyRevoked() throws Exception {
        SigningKey leaf = leafSigner(KeyUsage.digitalSignature, NOW.minus(1, ChronoUnit.DAYS), NOW.plus(30, ChronoUnit.DAYS));
        Path sig = ModelSigner.sign(leaf, SignOptions.of(model)).signature();
        String caKeyId = dev.satchel.verifier.signature.PublicKeyInfo.of(caPair.getPublic()).keyId();
        TrustFileBuilder t = TrustFileBuilder.create().addKey(oldKey.publicKey(), null, null).addCertificateAuthority(ca)
                .addRevocationList(oldKey, Map.of(caKeyId, "CA key compromise"), NOW);
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifier(t).verify(model, sig));
        assertEquals(Code.KEY_REVOKED, ex.code());
        assertTrue(ex.getMessage().contains("CA key compromise"), ex.getMessage());
    }
}
