package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.signature.KeyAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ECDSA signatures from key files are RFC 6979 deterministic, and still ordinary ECDSA to verifiers. */
class DeterministicEcdsaTest {
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "ECDSA_P384"})
    void sign_sameKeyAndMessage_sameSignatureThatJcaVerifies(KeyAlgorithm alg) throws Exception {
        var pair = KeyFiles.generate(alg);
        SigningKey key = KeyFiles.signingKey(pair, "test");
        byte[] msg = "DSSEv1 28 application/vnd.in-toto+json 2 {}".getBytes(StandardCharsets.UTF_8);

        byte[] a = key.sign(msg);
        byte[] b = key.sign(msg);
        assertArrayEquals(a, b, "deterministic");
        assertFalse(Arrays.equals(a, key.sign("another message".getBytes(StandardCharsets.UTF_8))));

        Signature v = Signature.getInstance(alg.jcaName());
        v.initVerify(pair.getPublic());
        v.update(msg);
        assertTrue(v.verify(a), "the JDK's ECDSA (DER) verifies it");
    }
}
