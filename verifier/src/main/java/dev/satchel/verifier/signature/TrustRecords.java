package dev.satchel.verifier.signature;

/**
 * Names of the signed records a trust configuration may hold (docs/trust-format.md). Each record
 * is a DSSE envelope; the signature covers the PAE of the payload type and the exact payload bytes.
 */
public final class TrustRecords {
    /** {@code _type} of a trust configuration file. */
    public static final String TRUST_TYPE = "https://satchel.dev/Trust/v1";
    /** DSSE payload type of a key rotation record. */
    public static final String ROTATION_PAYLOAD_TYPE = "application/vnd.satchel.key-rotation.v1+json";
    /** {@code _type} inside a key rotation record. */
    public static final String ROTATION_TYPE = "https://satchel.dev/KeyRotation/v1";
    /** DSSE payload type of a revocation list. */
    public static final String REVOCATION_PAYLOAD_TYPE = "application/vnd.satchel.revocation-list.v1+json";
    /** {@code _type} inside a revocation list. */
    public static final String REVOCATION_TYPE = "https://satchel.dev/RevocationList/v1";

    private TrustRecords() {}
}
