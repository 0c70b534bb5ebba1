package dev.satchel.verifier.bundle;

import java.util.Map;

/**
 * Checks a bundle's {@code model.sig} against the digests the verifier computed for every other
 * entry. The production implementation is {@link OmsSignatureCheck} (OpenSSF Model Signing v1.0,
 * key-based); the interface exists so the ZIP and manifest logic stays independent of the
 * signature format.
 *
 * <p>An implementation must accept only if the signature verifies under a trusted key AND the
 * signed resource list names exactly the entries in {@code sha256ByName} with exactly those
 * digests (no more, no fewer). Implementations must be thread-safe.
 */
public interface SignatureCheck {
    /**
     * @param signature the exact bytes of the {@code model.sig} entry
     * @param sha256ByName entry name to its 32-byte SHA-256, for every entry except {@code model.sig}
     *     (the manifest included), in bundle order
     * @throws VerificationException {@link RejectionCode#SIGNATURE_INVALID} on any failure
     */
    void verify(byte[] signature, Map<String, byte[]> sha256ByName) throws VerificationException;
}
