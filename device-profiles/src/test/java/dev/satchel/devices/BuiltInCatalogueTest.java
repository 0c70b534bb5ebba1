package dev.satchel.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BuiltInCatalogueTest {
    private final ProfileCatalogue catalogue = ProfileCatalogue.builtIn();

    @Test
    void builtIn_always_hasAtLeastTwentyProfilesInEveryClass() {
        assertTrue(catalogue.all().size() >= 20, "only " + catalogue.all().size() + " profiles");
        Set<DeviceClass> classes = EnumSet.noneOf(DeviceClass.class);
        catalogue.all().forEach(p -> classes.add(p.deviceClass()));
        assertEquals(EnumSet.allOf(DeviceClass.class), classes);
    }

    @Test
    void builtIn_requiredTargets_arePresent() {
        List<String> required = List.of(
                "samsung-galaxy-s24-snapdragon", "apple-iphone-15-pro", // high-end phones
                "android-mid-snapdragon-7", "android-mid-dimensity-7200", // mid-range
                "android-go-2gb", "android-go-1gb", // low end
                "apple-ipad-pro-m4", "apple-ipad-pro-m4-16gb", // tablets
                "apple-macbook-air-m3", "windows-copilot-pc-snapdragon-x-elite", "windows-copilot-pc-intel-lunar-lake",
                "raspberry-pi-4", "raspberry-pi-5", "nvidia-jetson-orin-nano-8gb", "google-coral-dev-board",
                "browser-chrome-webgpu", "browser-wasm-only", "qualcomm-sa8295p-automotive");
        for (String id : required) {
            assertTrue(catalogue.find(id).isPresent(), id);
        }
    }

    @Test
    void builtIn_indexFile_listsEveryProfileResource() throws IOException, URISyntaxException {
        Path dir = Path.of(ProfileCatalogue.class.getResource("/dev/satchel/devices/profiles/index.txt").toURI())
                .getParent();
        Set<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(ProfileCatalogue.builtInFileNames()));
        assertEquals(files.size(), catalogue.all().size());
    }

    @Test
    void builtIn_everyProfile_reachesTheCpuAndNamesOnlyKnownProviders() {
        Set<String> known = ExecutionProviderCatalogue.builtIn().providerIds();
        for (DeviceProfile p : catalogue.all()) {
            assertTrue(p.accelerators().stream().anyMatch(a -> a.kind() == Accelerator.Kind.CPU
                    && (a.executionProviders().contains("cpu") || a.executionProviders().contains("wasm"))),
                    p.id() + " has no CPU fallback");
            for (String ep : p.executionProviders()) {
                assertTrue(known.contains(ep), p.id() + " names " + ep);
            }
        }
    }

    @Test
    void builtIn_ortVersion_isMarkedAsEstimateWithBasis() {
        for (DeviceProfile p : catalogue.all()) {
            assertTrue(p.onnxRuntime().isEstimate(), p.id());
            assertTrue(p.onnxRuntime().basis().orElse("").contains("chosen by the app"), p.id());
        }
    }

    @Test
    void builtIn_memoryBudgets_areEstimatesOrSourced() {
        int withBudget = 0;
        for (DeviceProfile p : catalogue.all()) {
            if (p.memory().modelBudgetMb().isPresent()) {
                withBudget++;
                Fact<Long> f = p.memory().modelBudgetMb().get();
                assertTrue(f.isEstimate() || !f.sources().isEmpty(), p.id());
            }
        }
        // Only the automotive class has no published basis for a number.
        assertEquals(catalogue.all().size() - 1, withBudget);
        assertTrue(catalogue.find("qualcomm-sa8295p-automotive").get().memory().modelBudgetMb().isEmpty());
    }

    @Test
    void variant_extendsBase_inheritsAcceleratorsAndOverridesMemory() {
        DeviceProfile base = catalogue.find("google-pixel-8").get();
        DeviceProfile pro = catalogue.find("google-pixel-8-pro").get();
        assertEquals("google-pixel-8", pro.extendsId().get());
        assertEquals(12L, pro.ramGb().get().value());
        assertEquals(8L, base.ramGb().get().value());
        assertEquals(3000L, pro.memory().modelBudgetMb().get().value());
        assertEquals(1800L, base.memory().modelBudgetMb().get().value());
        assertEquals(base.accelerators(), pro.accelerators());
        assertEquals(base.os(), pro.os());
        assertFalse(pro.name().equals(base.name()));
    }

    @Test
    void snapdragonPhone_htpAccelerator_isReachedThroughQnnWithHexagonVersion() {
        DeviceProfile s24 = catalogue.find("samsung-galaxy-s24-snapdragon").get();
        Accelerator npu = s24.accelerator("npu").get();
        assertEquals(List.of("qnn-htp", "nnapi"), npu.executionProviders());
        assertEquals("v75", npu.attributes().get("hexagon"));
        assertTrue(npu.computeTypes().value().contains(ComputeType.UINT8));
    }

    @Test
    void browserTab_limits_includeWebGpuDefaults() {
        DeviceProfile tab = catalogue.find("browser-chrome-webgpu").get();
        assertEquals(268435456L, tab.limits().get(PlatformLimit.GPU_MAX_BUFFER_BYTES).value());
        assertEquals(134217728L, tab.limits().get(PlatformLimit.GPU_MAX_STORAGE_BINDING_BYTES).value());
        assertEquals(Evidence.VENDOR, tab.limits().get(PlatformLimit.GPU_MAX_BUFFER_BYTES).evidence());
    }
}
