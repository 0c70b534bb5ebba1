package dev.satchel.devices.check;

import java.util.Objects;

/**
 * A rough latency for one inference, in milliseconds, always labelled as an estimate: compute time
 * of the MACs on the units that take them at an assumed fraction of peak, or the time to stream the
 * weights once at the memory bandwidth, whichever is longer. {@code basis} says which numbers were
 * used.
 */
public record LatencyEstimate(double milliseconds, String basis) {
    public LatencyEstimate {
        Objects.requireNonNull(basis);
        if (!(milliseconds >= 0)) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
    }
}
