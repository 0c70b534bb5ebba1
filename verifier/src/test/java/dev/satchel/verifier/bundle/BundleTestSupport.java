package dev.satchel.verifier.bundle;

import java.util.Map;

/** Public helpers so tests in other packages (store, tool) can build canonical bundles. */
public final class BundleTestSupport {
    private BundleTestSupport() {}

    /** A deterministic payload for a version (size varies a little with the version). */
    public static byte[] payload(long version) {
        return Bundles.bytes(40000 + (int) (version % 1000), (int) version);
    }

    public static byte[] payload(long version, int size) {
        return Bundles.bytes(size, (int) version);
    }

    /** A signed canonical bundle with one model payload. */
    public static byte[] bundle(TestKeys keys, String name, long version, byte[] model) {
        Bundles b = new Bundles(keys).name(name).version(version);
        b.payloads.put("model.onnx", model);
        return b.build();
    }

    /** A signed bundle claiming {@code profile} compatible and requiring {@code minRam}. */
    public static byte[] bundleWithClaims(TestKeys keys, long version, String profile, long minRam) {
        Bundles b = new Bundles(keys).version(version).device(profile, true);
        b.minRamBytes = minRam;
        return b.build();
    }

    /** The manifest JSON a canonical bundle would carry, for parser tests. */
    public static Map<String, Object> manifest(TestKeys keys) {
        return new Bundles(keys).manifestMap();
    }
}
