package dev.satchel.signing;

import dev.satchel.verifier.signature.PublicKeyInfo;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A key that signs: in memory (from a PEM file) or on a PKCS#11 token (the private key never leaves
 * it). Implementations are thread-safe.
 */
public interface SigningKey {
    /** The public key, whose key id goes into the signature as {@code publicKey.hint}. */
    PublicKeyInfo publicKey();

    /** The certificate chain, leaf first, or empty to sign with a bare key. */
    List<X509Certificate> certificateChain();

    /**
     * Signs {@code data}: ECDSA with the curve's hash (ASN.1 DER signature) or pure Ed25519.
     *
     * @throws SigningException {@code TOKEN_ERROR} when a token refuses, {@code KEY_UNSUPPORTED}
     */
    byte[] sign(byte[] data) throws SigningException;

    /** A short description for messages, e.g. {@code ecdsa-p256 key 3a1f... (file ci.key)}. */
    String description();

    /** The same key presented with a certificate chain (leaf first; the leaf must hold this key). */
    default SigningKey withCertificateChain(List<X509Certificate> chain) throws SigningException {
        return JcaSigningKey.withChain(this, chain);
    }
}
