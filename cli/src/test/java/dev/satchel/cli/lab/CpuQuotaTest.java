package dev.satchel.cli.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuQuotaTest {
    /** This project's build machine: 2 CPUs at 2.6 GHz with AVX2 and AVX-512 VNNI. */
    private static final CpuQuota.Host HOST = new CpuQuota.Host(2, 2.6e9, Set.of("avx2", "avx-vnni"));

    @TempDir
    Path dir;

    private static DeviceProfile profile(String id) {
        return ProfileCatalogue.builtIn().find(id).orElseThrow();
    }

    @Test
    void of_fourCoreNeonFloat_deviceThroughputInHostCpus() {
        // 4 cores x 2.0 GHz x 8 MACs/cycle = 64 GMAC/s; a host CPU: 2.6 GHz x 16 = 41.6 GMAC/s.
        CpuQuota q = CpuQuota.of(profile("raspberry-pi-4"), false, HOST);
        assertEquals(64e9, q.deviceMacsPerSecond(), 1);
        assertEquals(41.6e9, q.hostMacsPerSecondPerCpu(), 1);
        assertEquals(1.54, q.cpus());
        assertEquals(2, q.threads());
    }

    @Test
    void of_quantizedModel_dotprodDeviceGetsMoreThanNeonOnly() {
        // The host's int8 path is 4x (VNNI); the Pi 4 has no dotprod, the Pi 5 has.
        CpuQuota pi4 = CpuQuota.of(profile("raspberry-pi-4"), true, HOST);
        CpuQuota pi5 = CpuQuota.of(profile("raspberry-pi-5"), true, HOST);
        assertEquals(0.38, pi4.cpus());
        assertEquals(1.54, pi5.cpus());
    }

    @Test
    void of_eightCoreDotprodQuantized_clampedToHostCpus() {
        CpuQuota q = CpuQuota.of(profile("google-pixel-9"), false, HOST);
        assertEquals(2.0, q.cpus());
        assertEquals(2, q.threads());
    }

    @Test
    void of_fastHost_clampedToTenthOfACpu() {
        CpuQuota q = CpuQuota.of(profile("android-go-2gb"), false, new CpuQuota.Host(64, 100e9, Set.of("avx2")));
        assertEquals(CpuQuota.MIN_CPUS, q.cpus());
        assertEquals(4, q.threads());
    }

    @Test
    void of_memoryClassesWithTheSameCpuFacts_sameQuota() {
        // The lab's three memory classes share the catalogue's CPU facts (4 cores, NEON, no dotprod).
        double go1 = CpuQuota.of(profile("android-go-1gb"), false, HOST).cpus();
        assertEquals(go1, CpuQuota.of(profile("android-go-2gb"), false, HOST).cpus());
        assertEquals(go1, CpuQuota.of(profile("raspberry-pi-4"), false, HOST).cpus());
    }

    @Test
    void detect_cpuinfo_clockAndFlags() throws Exception {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2596.134\n"
                + "flags\t\t: fpu sse2 avx avx2 avx512f avx512_vnni\n\nprocessor\t: 1\ncpu MHz\t\t: 1800.000\n");
        CpuQuota.Host h = CpuQuota.Host.detect(2, f);
        assertEquals(2596.134e6, h.hz(), 1);
        assertEquals(Set.of("avx2", "avx-vnni"), h.features());
        CpuQuota.Host none = CpuQuota.Host.detect(1, dir.resolve("missing"));
        assertEquals(2.0e9, none.hz());
        assertTrue(none.features().isEmpty());
    }

    @Test
    void quantized_sameOperatorsAsTheChecker() {
        assertTrue(CpuQuota.quantized(Set.of("MatMul", "com.microsoft:DynamicQuantizeMatMul")));
        assertTrue(CpuQuota.quantized(Set.of("DequantizeLinear")));
        assertFalse(CpuQuota.quantized(Set.of("MatMul", "Add")));
    }
}
