package dev.satchel.verifier.signature.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * Ed25519 on every JDK: the JDK's own EdDSA (Java 15+) when present, else BouncyCastle's
 * lightweight API (optional dependency; Java 11 and older Android lack Ed25519).
 */
public final class Ed25519Support {
    private Ed25519Support() {}

    /** The JDK key for an Ed25519 SubjectPublicKeyInfo, or {@code null} when the JDK has no EdDSA. */
    public static PublicKey jdkKey(byte[] spki) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (NoSuchAlgorithmException ex) {
            return null;
        } catch (GeneralSecurityException ex) {
            return null;
        }
    }

    /** Verifies with BouncyCastle; throws when BouncyCastle is not on the class path either. */
    public static boolean verifyWithBouncyCastle(byte[] rawKey, byte[] data, byte[] signature)
            throws dev.satchel.verifier.signature.ModelSignatureException {
        try {
            return BouncyCastleEd25519.verify(rawKey, data, signature);
        } catch (NoClassDefFoundError ex) {
            throw new dev.satchel.verifier.signature.ModelSignatureException(
                    dev.satchel.verifier.signature.ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "Ed25519 needs Java 15+ or BouncyCastle (bcprov) on the class path", ex);
        }
    }

    /** Separate class so BouncyCastle is only loaded when needed. */
    private static final class BouncyCastleEd25519 {
        static boolean verify(byte[] rawKey, byte[] data, byte[] signature) {
            org.bouncycastle.crypto.signers.Ed25519Signer v = new org.bouncycastle.crypto.signers.Ed25519Signer();
            v.init(false, new org.bouncycastle.crypto.params.Ed25519PublicKeyParameters(rawKey, 0));
            v.update(data, 0, data.length);
            return v.verifySignature(signature);
        }
    }
}
