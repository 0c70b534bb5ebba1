package dev.satchel.signing;

import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/** A {@link SigningKey} backed by a JCA private key, in memory or a token handle. Immutable. */
final class JcaSigningKey implements SigningKey {
    private final PrivateKey privateKey;
    private final Provider provider; // null: default providers
    private final PublicKeyInfo publicKey;
    private final List<X509Certificate> chain;
    private final String description;

    JcaSigningKey(PrivateKey privateKey, Provider provider, PublicKeyInfo publicKey, List<X509Certificate> chain,
            String description) {
        this.privateKey = privateKey;
        this.provider = provider;
        this.publicKey = publicKey;
        this.chain = List.copyOf(chain);
        this.description = description;
    }

    static SigningKey withChain(SigningKey key, List<X509Certificate> chain) throws SigningException {
        if (!(key instanceof JcaSigningKey)) {
            throw new SigningException(SigningException.Code.KEY_INVALID, "this key cannot carry a certificate chain");
        }
        JcaSigningKey k = (JcaSigningKey) key;
        if (chain.isEmpty()) {
            throw new SigningException(SigningException.Code.KEY_INVALID, "certificate chain is empty");
        }
        PublicKeyInfo leafKey;
        try {
            leafKey = PublicKeyInfo.of(chain.get(0).getPublicKey());
        } catch (ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "leaf certificate: " + ex.detail(), ex);
        }
        if (!leafKey.equals(k.publicKey)) {
            throw new SigningException(SigningException.Code.KEY_INVALID,
                    "leaf certificate " + chain.get(0).getSubjectX500Principal().getName() + " holds key " + leafKey.keyId()
                            + ", expected the signing key " + k.publicKey.keyId());
        }
        return new JcaSigningKey(k.privateKey, k.provider, k.publicKey, chain,
                k.description + " with certificate " + chain.get(0).getSubjectX500Principal().getName());
    }

    @Override
    public PublicKeyInfo publicKey() {
        return publicKey;
    }

    @Override
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    @Override
    public byte[] sign(byte[] data) throws SigningException {
        if (provider == null && privateKey instanceof java.security.interfaces.ECPrivateKey) {
            return deterministicEcdsa(data);
        }
        String alg = publicKey.algorithm().jcaName();
        try {
            // ECDSA: the plain JCA names give ASN.1 DER, which OMS verifiers and openssl expect
            // (never the ...inP1363Format variants). SunPKCS11 returns DER too.
            Signature s = provider == null ? Signature.getInstance(alg) : Signature.getInstance(alg, provider);
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException ex) {
            throw new SigningException(provider == null ? SigningException.Code.KEY_UNSUPPORTED : SigningException.Code.TOKEN_ERROR,
                    "cannot sign with " + description + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * ECDSA with the nonce derived from key and message (RFC 6979, HMAC-DRBG over the message
     * hash), ASN.1 DER encoded like the JCA's. Same key, same bytes, same signature: bundles and
     * signatures are reproducible, and no signature depends on the quality of a random source.
     * Verifiers cannot tell the difference: it is ordinary ECDSA. Keys on a PKCS#11 token sign
     * inside the token with its own nonces.
     */
    private byte[] deterministicEcdsa(byte[] data) throws SigningException {
        org.bouncycastle.crypto.Digest digest;
        org.bouncycastle.crypto.Digest kDigest;
        switch (publicKey.algorithm()) {
            case ECDSA_P256:
                digest = new org.bouncycastle.crypto.digests.SHA256Digest();
                kDigest = new org.bouncycastle.crypto.digests.SHA256Digest();
                break;
            case ECDSA_P384:
                digest = new org.bouncycastle.crypto.digests.SHA384Digest();
                kDigest = new org.bouncycastle.crypto.digests.SHA384Digest();
                break;
            case ECDSA_P521:
                digest = new org.bouncycastle.crypto.digests.SHA512Digest();
                kDigest = new org.bouncycastle.crypto.digests.SHA512Digest();
                break;
            default:
                throw new SigningException(SigningException.Code.KEY_UNSUPPORTED,
                        description + ": not an ECDSA key (" + publicKey.algorithm() + ")");
        }
        try {
            org.bouncycastle.crypto.params.AsymmetricKeyParameter key =
                    org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(privateKey.getEncoded());
            org.bouncycastle.crypto.signers.DSADigestSigner signer = new org.bouncycastle.crypto.signers.DSADigestSigner(
                    new org.bouncycastle.crypto.signers.ECDSASigner(new org.bouncycastle.crypto.signers.HMacDSAKCalculator(kDigest)),
                    digest, org.bouncycastle.crypto.signers.StandardDSAEncoding.INSTANCE);
            signer.init(true, key);
            signer.update(data, 0, data.length);
            return signer.generateSignature();
        } catch (java.io.IOException | RuntimeException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "cannot sign with " + description + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
