package dev.satchel.verifier.signature;

import dev.satchel.verifier.signature.internal.Ed25519Support;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A public key we can verify with: its DER SubjectPublicKeyInfo, algorithm and key id. Immutable,
 * thread-safe.
 *
 * <p>The key id is the OMS {@code publicKey.hint}: lower-case hex SHA-256 of the canonical PEM text
 * that OpenSSL emits ({@code openssl pkey -pubin | sha256sum}), not of whatever file the key came
 * from.
 */
public final class PublicKeyInfo {
    private static final BigInteger P256_ORDER =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    private static final BigInteger P384_ORDER = new BigInteger(
            "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16);
    private static final BigInteger P521_ORDER = new BigInteger(
            "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
            16);
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private final byte[] spki;
    private final KeyAlgorithm algorithm;
    private final PublicKey jcaKey; // null for Ed25519 on JDKs without EdDSA
    private final String keyId;

    private PublicKeyInfo(byte[] spki, KeyAlgorithm algorithm, PublicKey jcaKey) {
        this.spki = spki;
        this.algorithm = algorithm;
        this.jcaKey = jcaKey;
        this.keyId = Hex.encode(sha256(canonicalPem(spki).getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Parses a DER SubjectPublicKeyInfo.
     *
     * @throws ModelSignatureException {@code MALFORMED} when not a key, {@code UNSUPPORTED_ALGORITHM}
     *     for RSA, other curves and other key types
     */
    public static PublicKeyInfo fromSpki(byte[] spki) throws ModelSignatureException {
        byte[] der = spki.clone();
        if (der.length == 44 && Arrays.equals(Arrays.copyOf(der, 12), ED25519_SPKI_PREFIX)) {
            return new PublicKeyInfo(der, KeyAlgorithm.ED25519, Ed25519Support.jdkKey(der));
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException ex) {
            try {
                KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                        "public key: RSA keys are not supported, expected ECDSA P-256/P-384/P-521 or Ed25519");
            } catch (GeneralSecurityException notRsa) {
                throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                        "public key: not a supported SubjectPublicKeyInfo (" + ex.getMessage() + ")", ex);
            }
        }
        if (!(key instanceof ECPublicKey)) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "public key: unsupported key type " + key.getAlgorithm());
        }
        BigInteger order = ((ECPublicKey) key).getParams().getOrder();
        KeyAlgorithm alg;
        if (order.equals(P256_ORDER)) {
            alg = KeyAlgorithm.ECDSA_P256;
        } else if (order.equals(P384_ORDER)) {
            alg = KeyAlgorithm.ECDSA_P384;
        } else if (order.equals(P521_ORDER)) {
            alg = KeyAlgorithm.ECDSA_P521;
        } else {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "public key: unsupported elliptic curve, expected P-256, P-384 or P-521");
        }
        return new PublicKeyInfo(der, alg, key);
    }

    /** Wraps a JCA public key (its {@code getEncoded()} SubjectPublicKeyInfo). */
    public static PublicKeyInfo of(PublicKey key) throws ModelSignatureException {
        byte[] der = key.getEncoded();
        if (der == null) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    "public key: " + key.getAlgorithm() + " key has no X.509 encoding");
        }
        return fromSpki(der);
    }

    /**
     * Parses PEM text holding a {@code PUBLIC KEY} block (text before the block, such as GnuTLS
     * preambles, is ignored).
     */
    public static PublicKeyInfo fromPem(String pem) throws ModelSignatureException {
        return fromSpki(Pem.decode(pem, "PUBLIC KEY", "public key"));
    }

    /** The canonical PEM text of a SubjectPublicKeyInfo: 64-column base64, LF line ends. */
    public static String canonicalPem(byte[] spki) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(spki);
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    public String canonicalPem() {
        return canonicalPem(spki);
    }

    /** The OMS key id ({@code hint}): hex SHA-256 of {@link #canonicalPem()}. */
    public String keyId() {
        return keyId;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    public byte[] spki() {
        return spki.clone();
    }

    /** Whether {@code signature} is a valid signature of {@code data} by this key. */
    public boolean verify(byte[] data, byte[] signature) throws ModelSignatureException {
        if (algorithm == KeyAlgorithm.ED25519 && jcaKey == null) {
            return Ed25519Support.verifyWithBouncyCastle(Arrays.copyOfRange(spki, 12, 44), data, signature);
        }
        try {
            Signature s = Signature.getInstance(algorithm.jcaName());
            s.initVerify(jcaKey);
            s.update(data);
            return s.verify(signature);
        } catch (NoSuchAlgorithmException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "this JDK has no " + algorithm.jcaName() + " signature", ex);
        } catch (java.security.SignatureException ex) {
            return false; // not DER, wrong length: not a valid signature
        } catch (GeneralSecurityException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                    "cannot verify with " + algorithm.id() + ": " + ex.getMessage(), ex);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", ex);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeyInfo && Arrays.equals(spki, ((PublicKeyInfo) o).spki);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spki);
    }

    @Override
    public String toString() {
        return algorithm.id() + " key " + keyId;
    }
}
