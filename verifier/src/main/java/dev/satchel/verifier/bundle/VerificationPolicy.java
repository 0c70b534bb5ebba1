package dev.satchel.verifier.bundle;

/**
 * What {@link BundleVerifier} accepts. Immutable and thread-safe. Secure by default: a policy
 * always requires a valid {@code model.sig} unless built with the loudly named
 * {@link Builder#allowUnsignedForTesting()}; the limits bound memory and disk use against hostile
 * input (TUF "endless data" attack).
 */
public final class VerificationPolicy {
    /** Default maximum number of entries, {@code model.sig} and {@code satchel.json} included. */
    public static final int DEFAULT_MAX_ENTRIES = 64;
    /** Default maximum bundle size: the largest a non-ZIP64 archive can be. */
    public static final long DEFAULT_MAX_BUNDLE_BYTES = 0xFFFF_FFFEL;
    /** Default maximum size of {@code satchel.json}. */
    public static final int DEFAULT_MAX_MANIFEST_BYTES = 1 << 20;
    /** Default maximum size of {@code model.sig}. */
    public static final int DEFAULT_MAX_SIGNATURE_BYTES = 1 << 20;

    private final SignatureCheck signatureCheck;
    private final int maxEntries;
    private final long maxBundleBytes;
    private final int maxManifestBytes;
    private final int maxSignatureBytes;

    private VerificationPolicy(Builder b) {
        this.signatureCheck = b.signatureCheck;
        this.maxEntries = b.maxEntries;
        this.maxBundleBytes = b.maxBundleBytes;
        this.maxManifestBytes = b.maxManifestBytes;
        this.maxSignatureBytes = b.maxSignatureBytes;
    }

    /** A policy that requires {@code model.sig} to pass {@code trust}. */
    public static VerificationPolicy requireSignature(SignatureCheck trust) {
        return builder(trust).build();
    }

    /** A builder for a policy requiring {@code model.sig} to pass {@code trust}. */
    public static Builder builder(SignatureCheck trust) {
        if (trust == null) {
            throw new NullPointerException("trust");
        }
        return new Builder(trust);
    }

    /**
     * A builder for a policy that ignores {@code model.sig} (it may be present or absent). Every
     * structural, manifest and digest check still applies; only authenticity is lost. For tests
     * and for inspecting untrusted bundles, never for installing on a device.
     */
    public static Builder allowUnsignedForTesting() {
        return new Builder(null);
    }

    /** The signature check, or {@code null} for an unsigned-for-testing policy. */
    public SignatureCheck signatureCheck() {
        return signatureCheck;
    }

    public boolean requiresSignature() {
        return signatureCheck != null;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public long maxBundleBytes() {
        return maxBundleBytes;
    }

    public int maxManifestBytes() {
        return maxManifestBytes;
    }

    public int maxSignatureBytes() {
        return maxSignatureBytes;
    }

    /** Builds a {@link VerificationPolicy}. Not thread-safe. */
    public static final class Builder {
        private final SignatureCheck signatureCheck;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private long maxBundleBytes = DEFAULT_MAX_BUNDLE_BYTES;
        private int maxManifestBytes = DEFAULT_MAX_MANIFEST_BYTES;
        private int maxSignatureBytes = DEFAULT_MAX_SIGNATURE_BYTES;

        private Builder(SignatureCheck signatureCheck) {
            this.signatureCheck = signatureCheck;
        }

        public Builder maxEntries(int n) {
            if (n < 1 || n > 0xFFFE) {
                throw new IllegalArgumentException("maxEntries must be in [1, 65534]: " + n);
            }
            this.maxEntries = n;
            return this;
        }

        public Builder maxBundleBytes(long n) {
            if (n < 1 || n > DEFAULT_MAX_BUNDLE_BYTES) {
                throw new IllegalArgumentException("maxBundleBytes must be in [1, " + DEFAULT_MAX_BUNDLE_BYTES + "]: " + n);
            }
            this.maxBundleBytes = n;
            return this;
        }

        public Builder maxManifestBytes(int n) {
            if (n < 1 || n > (64 << 20)) {
                throw new IllegalArgumentException("maxManifestBytes must be in [1, 64 MiB]: " + n);
            }
            this.maxManifestBytes = n;
            return this;
        }

        public Builder maxSignatureBytes(int n) {
            if (n < 1 || n > (64 << 20)) {
                throw new IllegalArgumentException("maxSignatureBytes must be in [1, 64 MiB]: " + n);
            }
            this.maxSignatureBytes = n;
            return this;
        }

        public VerificationPolicy build() {
            return new VerificationPolicy(this);
        }
    }
}
