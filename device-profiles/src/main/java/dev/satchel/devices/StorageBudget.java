package dev.satchel.devices;

import java.util.Objects;
import java.util.Optional;

/**
 * Download and install size limits in MiB. Immutable.
 *
 * @param downloadBudgetMb the largest single model download that ships without friction (Play asset
 *     pack limit, iOS cellular prompt threshold, browser ArrayBuffer ceiling)
 * @param installLimitMb the hard ceiling for everything installed with the app
 * @param notes how to ship larger models on this platform
 */
public record StorageBudget(Optional<Fact<Long>> downloadBudgetMb, Optional<Fact<Long>> installLimitMb,
        Optional<String> notes) {
    public StorageBudget {
        Objects.requireNonNull(downloadBudgetMb, "downloadBudgetMb");
        Objects.requireNonNull(installLimitMb, "installLimitMb");
        Objects.requireNonNull(notes, "notes");
    }

    public static StorageBudget unknown() {
        return new StorageBudget(Optional.empty(), Optional.empty(), Optional.empty());
    }
}
