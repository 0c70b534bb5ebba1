package dev.satchel.verifier.update;

import dev.satchel.verifier.bundle.VerifiedBundle;

/** The outcome of one {@link UpdateClient#update} cycle. Immutable. */
public final class UpdateResult {
    private final long rootVersion;
    private final long targetsVersion;
    private final String targetPath;
    private final VerifiedBundle installed;

    UpdateResult(long rootVersion, long targetsVersion, String targetPath, VerifiedBundle installed) {
        this.rootVersion = rootVersion;
        this.targetsVersion = targetsVersion;
        this.targetPath = targetPath;
        this.installed = installed;
    }

    /** The version of the root trusted after the cycle. */
    public long rootVersion() {
        return rootVersion;
    }

    /** The version of the targets metadata the choice was made from. */
    public long targetsVersion() {
        return targetsVersion;
    }

    /** The TUF target path installed, or {@code null} when nothing newer fits this device. */
    public String targetPath() {
        return targetPath;
    }

    /** The bundle installed, or {@code null} when the store was already up to date. */
    public VerifiedBundle installed() {
        return installed;
    }

    @Override
    public String toString() {
        return installed == null ? "up to date (root v" + rootVersion + ", targets v" + targetsVersion + ")"
                : "installed " + targetPath + " (" + installed.manifest().name() + " version "
                        + installed.manifest().version() + "; root v" + rootVersion + ", targets v" + targetsVersion + ")";
    }
}
