package dev.satchel.verifier.signature;

import java.time.Instant;

/**
 * A key the trust configuration accepts for model signatures, with its validity window and how it
 * came to be trusted (listed directly, or endorsed by a rotation record). Immutable.
 */
public final class TrustedKey {
    private final PublicKeyInfo key;
    private final Instant notBefore;
    private final Instant notAfter;
    private final String endorsedBy;

    TrustedKey(PublicKeyInfo key, Instant notBefore, Instant notAfter, String endorsedBy) {
        this.key = key;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.endorsedBy = endorsedBy;
    }

    public PublicKeyInfo key() {
        return key;
    }

    /** Start of validity, or {@code null} for none. */
    public Instant notBefore() {
        return notBefore;
    }

    /** End of validity (exclusive), or {@code null} for none. */
    public Instant notAfter() {
        return notAfter;
    }

    /** The key id of the key whose rotation record endorsed this one, or {@code null} when listed directly. */
    public String endorsedBy() {
        return endorsedBy;
    }

    boolean validAt(Instant t) {
        return (notBefore == null || !t.isBefore(notBefore)) && (notAfter == null || t.isBefore(notAfter));
    }
}
