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

    /**
     * Starts checking {@code signature} before the digests are known; {@link BundleVerifier} calls
     * it on a helper thread as soon as {@code model.sig} is read, so the signature and trust checks
     * overlap with hashing the payloads, and completes it with the digests at the end. The result
     * must be exactly that of {@link #verify}. The default defers everything to {@link #verify}.
     */
    default Pending begin(byte[] signature) throws VerificationException {
        return sha256ByName -> verify(signature, sha256ByName);
    }

    /** A signature check waiting for the digests; see {@link #begin}. */
    interface Pending {
        /** @throws VerificationException as {@link SignatureCheck#verify} */
        void finish(Map<String, byte[]> sha256ByName) throws VerificationException;
    }
}
