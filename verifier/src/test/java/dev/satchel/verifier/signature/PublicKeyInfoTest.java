package dev.satchel.verifier.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.signature.internal.Ed25519Support;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PublicKeyInfoTest {
    @Test
    void ed25519_bouncyCastleFallback_agreesWithJdk() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] data = Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, "{}".getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(data);
        byte[] sig = s.sign();
        byte[] raw = Arrays.copyOfRange(pair.getPublic().getEncoded(), 12, 44);
        // The path a Java 11 / Android device without EdDSA takes.
        assertTrue(Ed25519Support.verifyWithBouncyCastle(raw, data, sig));
        data[data.length - 1] ^= 1;
        assertFalse(Ed25519Support.verifyWithBouncyCastle(raw, data, sig));
        assertEquals(KeyAlgorithm.ED25519, PublicKeyInfo.of(pair.getPublic()).algorithm());
    }

    @Test
    void keyId_isSha256OfCanonicalPem_andPemPreambleIgnored() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        PublicKeyInfo k = PublicKeyInfo.of(g.generateKeyPair().getPublic());
        String pem = k.canonicalPem();
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n") && pem.endsWith("\n-----END PUBLIC KEY-----\n"));
        assertEquals(Hex.encode(PublicKeyInfo.sha256(pem.getBytes(StandardCharsets.US_ASCII))), k.keyId());
        PublicKeyInfo fromGnuTls = PublicKeyInfo.fromPem("Public Key Info:\n\tPublic Key Algorithm: EC/ECDSA\n" + pem.replace("\n", "\r\n"));
        assertEquals(k.keyId(), fromGnuTls.keyId());
    }

    @Test
    void unsupportedCurvesAndGarbage_areCoded() throws Exception {
        assertEquals(ModelSignatureException.Code.MALFORMED,
                assertThrows(ModelSignatureException.class, () -> PublicKeyInfo.fromSpki(new byte[] {1, 2, 3})).code());
        assertEquals(ModelSignatureException.Code.MALFORMED,
                assertThrows(ModelSignatureException.class, () -> PublicKeyInfo.fromPem("no pem here")).code());
    }
}
