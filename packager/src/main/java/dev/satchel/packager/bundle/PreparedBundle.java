package dev.satchel.packager.bundle;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle ready to sign and write: the exact manifest bytes and every payload's size, CRC-32 and
 * SHA-256, from {@link BundleWriter#prepare}. Immutable.
 *
 * <p>{@link #signedDigests()} is what {@code model.sig} must cover: every entry except the
 * signature itself, the manifest first (docs/bundle-format.md §6).
 */
public final class PreparedBundle {
    /** One payload entry as hashed. */
    public record Payload(String name, Path source, long size, long crc32, byte[] sha256) {
        public Payload {
            sha256 = sha256.clone();
        }

        @Override
        public byte[] sha256() {
            return sha256.clone();
        }
    }

    private final BundleSpec spec;
    private final byte[] manifest;
    private final byte[] manifestSha256;
    private final List<Payload> payloads;

    PreparedBundle(BundleSpec spec, byte[] manifest, byte[] manifestSha256, List<Payload> payloads) {
        this.spec = spec;
        this.manifest = manifest.clone();
        this.manifestSha256 = manifestSha256.clone();
        this.payloads = List.copyOf(payloads);
    }

    public BundleSpec spec() {
        return spec;
    }

    /** The exact bytes of {@code satchel.json}. */
    public byte[] manifestBytes() {
        return manifest.clone();
    }

    /** Payloads in bundle order (sorted by UTF-8 bytes of their names). */
    public List<Payload> payloads() {
        return payloads;
    }

    /** Entry name to SHA-256 for every entry {@code model.sig} must cover, in bundle order. */
    public Map<String, byte[]> signedDigests() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(dev.satchel.verifier.bundle.BundleFormat.MANIFEST_ENTRY, manifestSha256.clone());
        for (Payload p : payloads) {
            m.put(p.name(), p.sha256());
        }
        return Collections.unmodifiableMap(m);
    }
}
