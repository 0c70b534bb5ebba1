package dev.satchel.devices;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OS the device ships with. {@code platform} is one of {@code android}, {@code ios},
 * {@code ipados}, {@code macos}, {@code windows}, {@code linux}, {@code browser},
 * {@code android-automotive}. Immutable.
 *
 * @param requirements OS-level prerequisites as plain sentences (e.g. "MLProgram needs iOS 15+")
 */
public record OperatingSystem(String platform, Optional<Fact<String>> version, List<String> requirements) {
    /** The platform labels a profile may use. */
    public static final List<String> PLATFORMS =
            List.of("android", "ios", "ipados", "macos", "windows", "linux", "browser", "android-automotive");

    public OperatingSystem {
        Objects.requireNonNull(platform, "platform");
        if (!PLATFORMS.contains(platform)) {
            throw new IllegalArgumentException("unknown platform: " + platform);
        }
        Objects.requireNonNull(version, "version");
        requirements = List.copyOf(requirements);
    }
}
