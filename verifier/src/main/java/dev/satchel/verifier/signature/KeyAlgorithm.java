package dev.satchel.verifier.signature;

/**
 * The signature algorithms this verifier accepts. ECDSA signatures are ASN.1 DER encoded and use
 * the hash the curve implies (what OMS verifiers expect); Ed25519 is pure Ed25519 over the PAE.
 */
public enum KeyAlgorithm {
    /** ECDSA on NIST P-256 with SHA-256: the OMS default and what every independent verifier accepts. */
    ECDSA_P256("ecdsa-p256", "SHA256withECDSA"),
    /** ECDSA on NIST P-384 with SHA-384. */
    ECDSA_P384("ecdsa-p384", "SHA384withECDSA"),
    /** ECDSA on NIST P-521 with SHA-512 (verify only). */
    ECDSA_P521("ecdsa-p521", "SHA512withECDSA"),
    /** Ed25519 (RFC 8032), pure. Not accepted by the Python model_signing verifier. */
    ED25519("ed25519", "Ed25519");

    private final String id;
    private final String jcaName;

    KeyAlgorithm(String id, String jcaName) {
        this.id = id;
        this.jcaName = jcaName;
    }

    /** The lower-case name used on the command line and in docs, e.g. {@code ecdsa-p256}. */
    public String id() {
        return id;
    }

    /** The JCA {@code Signature} algorithm name. */
    public String jcaName() {
        return jcaName;
    }

    /** Parses {@link #id()}; {@code null} when unknown. */
    public static KeyAlgorithm fromId(String id) {
        for (KeyAlgorithm a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        return null;
    }
}
