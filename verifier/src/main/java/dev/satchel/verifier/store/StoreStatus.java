package dev.satchel.verifier.store;

/**
 * A snapshot of a {@link ModelStore}: which versions are installed and the rollback floor.
 * Immutable.
 */
public final class StoreStatus {
    private final String name;
    private final long current;
    private final long previous;
    private final long highest;
    private final String fallbackReason;
    private final long trial;
    private final long rejected;

    StoreStatus(String name, long current, long previous, long highest, String fallbackReason, long trial, long rejected) {
        this.name = name;
        this.current = current;
        this.previous = previous;
        this.highest = highest;
        this.fallbackReason = fallbackReason;
        this.trial = trial;
        this.rejected = rejected;
    }

    /** Attempts to load the current version left before it must be confirmed, or -1 when it is confirmed. */
    public long trialAttemptsLeft() {
        return trial;
    }

    /** The version abandoned on this device (never re-installed), or 0. */
    public long rejected() {
        return rejected;
    }

    /** The model name the store holds, or {@code null} before the first install. */
    public String name() {
        return name;
    }

    /** The installed version, or 0 when the store is empty. */
    public long current() {
        return current;
    }

    /** The last-good version kept for fallback, or 0. */
    public long previous() {
        return previous;
    }

    /** The highest version ever installed: an install must be above it (rollback protection). */
    public long highest() {
        return highest;
    }

    /**
     * Why opening the store fell back from the committed version to the last-good one (it failed
     * verification, or it was not confirmed within its trial attempts), or {@code null}.
     */
    public String fallbackReason() {
        return fallbackReason;
    }

    @Override
    public String toString() {
        return "name=" + (name == null ? "-" : name) + " current=" + current + " previous=" + previous
                + " highest=" + highest + (trial < 0 ? "" : " trial=" + trial) + (rejected == 0 ? "" : " rejected=" + rejected)
                + (fallbackReason == null ? "" : " fallback=" + fallbackReason);
    }
}
