package dev.satchel.reports;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a target device must show for the build to ship. Immutable.
 *
 * @param deviceId profile id the requirement applies to
 * @param mustPass when false the device is reported but never fails the build (an "informational" target)
 * @param mayWarn when false a {@code warn} verdict fails the build too
 * @param minAcceleratorShare share of MACs (0..1) the device's preferred accelerator must take, if set
 */
public record DeviceRequirement(String deviceId, boolean mustPass, boolean mayWarn, OptionalDouble minAcceleratorShare) {
    public DeviceRequirement {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(minAcceleratorShare, "minAcceleratorShare");
        if (minAcceleratorShare.isPresent()
                && !(minAcceleratorShare.getAsDouble() >= 0 && minAcceleratorShare.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("minAcceleratorShare must be within 0..1, got "
                    + minAcceleratorShare.getAsDouble());
        }
    }

    /** The default for a device listed without requirements: must pass, warnings allowed, any share. */
    public static DeviceRequirement defaults(String deviceId) {
        return new DeviceRequirement(deviceId, true, true, OptionalDouble.empty());
    }
}
