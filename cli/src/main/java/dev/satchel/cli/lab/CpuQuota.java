package dev.satchel.cli.lab;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.Fact;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A device container's CPU quota and ONNX Runtime thread count (docs/device-lab.md, "CPU quota").
 * The quota gives the container the device's nominal CPU throughput, measured in this host's CPUs:
 *
 * <pre>
 *   device = cores × 2.0 GHz × MACs/cycle(device ISA)       (the checker's latency model)
 *   host   = host clock × MACs/cycle(host ISA), per CPU     (the same rule applied to the host)
 *   cpus   = clamp(device / host, 0.1, host CPUs), rounded to 0.01
 *   threads = min(cores, host CPUs)
 * </pre>
 *
 * MACs/cycle follow {@code CompatibilityChecker}'s latency estimate: 8 for NEON-class cores, 16
 * with AVX2, 4 for wasm SIMD; × 4 for quantized models on cores with dotprod, i8mm or AVX-VNNI. The
 * checker's efficiency factor (30%) applies to both sides and cancels. With the quota, the
 * container would run the model at the estimated latency if ONNX Runtime reached the checker's
 * efficiency here; {@link LabResult#latencyRatio()} shows how far it is. Immutable.
 *
 * @param cpus the container's CPU quota in host CPUs
 * @param threads ONNX Runtime intra-op threads
 * @param deviceMacsPerSecond the device's nominal CPU throughput (all cores)
 * @param hostMacsPerSecondPerCpu one host CPU's nominal throughput
 */
public record CpuQuota(double cpus, int threads, double deviceMacsPerSecond, double hostMacsPerSecondPerCpu) {
    /** Lower bound of the quota: the kernel's minimum CFS quota is 1 ms of the lab's 10 ms period. */
    public static final double MIN_CPUS = 0.1;
    /** The checker's nominal core clock for every device profile ({@code CompatibilityChecker.CPU_HZ}). */
    static final double DEVICE_HZ = 2.0e9;
    /** Operators that make the checker call a model quantized (its {@code QUANTIZED_OPS}). */
    static final Set<String> QUANTIZED_OPS = Set.of("DequantizeLinear", "QLinearConv", "QLinearMatMul",
            "MatMulInteger", "ConvInteger", "MatMulNBits", "DynamicQuantizeLinear", "QLinearAdd",
            "DynamicQuantizeMatMul", "MatMulIntegerToFloat");

    public CpuQuota {
        if (!(cpus > 0) || threads < 1) {
            throw new IllegalArgumentException("cpus must be > 0 and threads >= 1");
        }
    }

    /**
     * The build machine's CPUs as the quota rule sees them. Immutable.
     *
     * @param cpus CPUs the containers may use at most
     * @param hz nominal clock of one CPU
     * @param features ISA feature tokens in the profile vocabulary ({@code avx2}, {@code avx-vnni})
     */
    public record Host(int cpus, double hz, Set<String> features) {
        public Host {
            if (cpus < 1 || !(hz > 0)) {
                throw new IllegalArgumentException("cpus must be >= 1 and hz > 0");
            }
            features = Set.copyOf(features);
        }

        /**
         * Reads clock and flags from {@code cpuinfo} (Linux {@code /proc/cpuinfo}): the first
         * {@code cpu MHz} line, {@code avx2}, and {@code avx_vnni} or {@code avx512_vnni} as
         * {@code avx-vnni}. Without the file: 2.0 GHz and no features.
         */
        public static Host detect(int cpus, Path cpuinfo) {
            double hz = DEVICE_HZ;
            Set<String> features = Set.of();
            try {
                List<String> lines = Files.readAllLines(cpuinfo);
                for (String l : lines) {
                    if (l.startsWith("cpu MHz") && l.contains(":")) {
                        hz = Double.parseDouble(l.substring(l.indexOf(':') + 1).trim()) * 1e6;
                        break;
                    }
                }
                for (String l : lines) {
                    if (l.startsWith("flags") && l.contains(":")) {
                        Set<String> flags = Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"));
                        java.util.Set<String> f = new java.util.TreeSet<>();
                        if (flags.contains("avx2")) {
                            f.add("avx2");
                        }
                        if (flags.contains("avx_vnni") || flags.contains("avx512_vnni")) {
                            f.add("avx-vnni");
                        }
                        features = f;
                        break;
                    }
                }
            } catch (IOException | NumberFormatException ex) {
                // No cpuinfo (not Linux): the nominal figures above; the lab runs on Linux only.
            }
            return new Host(cpus, hz, features);
        }
    }

    /** Whether the checker treats a model with these operator types as quantized. */
    public static boolean quantized(Set<String> opTypes) {
        return opTypes.stream().map(k -> k.contains(":") ? k.substring(k.indexOf(':') + 1) : k)
                .anyMatch(QUANTIZED_OPS::contains);
    }

    /** The quota for running a (quantized or float) model as {@code device} on {@code host}. */
    public static CpuQuota of(DeviceProfile device, boolean quantized, Host host) {
        Objects.requireNonNull(device);
        Objects.requireNonNull(host);
        long cores = device.cpu().cores().map(Fact::value).orElse(4L);
        boolean x86 = device.cpu().hasFeature("avx2");
        boolean wasm = device.cpu().hasFeature("wasm-simd128") && !device.cpu().hasFeature("neon") && !x86;
        double deviceMpc = x86 ? 16 : wasm ? 4 : 8;
        if (quantized && (device.cpu().hasFeature("dotprod") || device.cpu().hasFeature("i8mm")
                || device.cpu().hasFeature("avx-vnni"))) {
            deviceMpc *= 4;
        }
        double hostMpc = host.features().contains("avx2") ? 16 : 8;
        if (quantized && host.features().contains("avx-vnni")) {
            hostMpc *= 4;
        }
        double deviceRate = cores * DEVICE_HZ * deviceMpc;
        double hostRate = host.hz() * hostMpc;
        double cpus = Math.max(MIN_CPUS, Math.min(host.cpus(), deviceRate / hostRate));
        cpus = BigDecimal.valueOf(cpus).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
        int threads = (int) Math.max(1, Math.min(cores, host.cpus()));
        return new CpuQuota(cpus, threads, deviceRate, hostRate);
    }

    /** One line: how the quota was derived. */
    public String basis() {
        return String.format(Locale.ROOT, "device %.1f GMAC/s / host %.1f GMAC/s per CPU = %.2f CPUs, %d threads",
                deviceMacsPerSecond / 1e9, hostMacsPerSecondPerCpu / 1e9, cpus, threads);
    }
}
