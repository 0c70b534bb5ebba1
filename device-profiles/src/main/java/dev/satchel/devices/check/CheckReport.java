package dev.satchel.devices.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of checking one model against devices. Immutable.
 *
 * @param model the model file name
 * @param dims the caller's dimension bindings ({@code --dim} plus {@code --context}); each device
 *     report also lists its own, which add the profile's defaults
 * @param totalMacs multiply-accumulates of one inference, as far as shapes are known
 */
public record CheckReport(String model, long modelBytes, Map<String, Long> opsets, long irVersion,
        Map<String, Long> dims, long totalMacs, int nodes, List<DeviceReport> devices) {
    public CheckReport {
        Objects.requireNonNull(model);
        opsets = Map.copyOf(opsets);
        dims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dims));
        devices = List.copyOf(devices);
    }

    /** True when no device failed and, if {@code strict}, none warned either. */
    public boolean passes(boolean strict) {
        return devices.stream().allMatch(d -> d.verdict() == Verdict.PASS
                || (!strict && d.verdict() == Verdict.WARN));
    }
}
