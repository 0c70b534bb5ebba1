package dev.satchel.devices.ep;

import dev.satchel.devices.ep.internal.EpDataReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The execution-provider data shipped in this jar (docs/checker.md describes the files): per EP, the
 * operators it takes with opset ranges and evaluable constraints, and its dtype rules; plus the
 * table of ONNX Runtime releases and the opsets they accept. Immutable and thread-safe.
 */
public final class ExecutionProviderCatalogue {
    static final String ROOT = "/dev/satchel/devices/ep/";
    private static volatile ExecutionProviderCatalogue builtIn;

    private final Map<String, ExecutionProvider> byId;
    private final List<OrtRelease> releases;

    public ExecutionProviderCatalogue(List<ExecutionProvider> providers, List<OrtRelease> releases) {
        Map<String, ExecutionProvider> m = new LinkedHashMap<>();
        for (ExecutionProvider p : providers) {
            if (m.put(p.id(), p) != null) {
                throw new IllegalArgumentException("duplicate execution provider id " + p.id());
            }
        }
        this.byId = java.util.Collections.unmodifiableMap(m);
        List<OrtRelease> sorted = new ArrayList<>(releases);
        sorted.sort(Comparator.comparing(OrtRelease::version, ExecutionProviderCatalogue::compareVersions));
        this.releases = List.copyOf(sorted);
    }

    /**
     * The data shipped with Satchel, loaded once.
     *
     * @throws IllegalStateException if a data file is malformed (a packaging bug; the build's tests
     *     load every file)
     */
    public static ExecutionProviderCatalogue builtIn() {
        ExecutionProviderCatalogue c = builtIn;
        if (c == null) {
            synchronized (ExecutionProviderCatalogue.class) {
                c = builtIn;
                if (c == null) {
                    c = load();
                    builtIn = c;
                }
            }
        }
        return c;
    }

    private static ExecutionProviderCatalogue load() {
        List<String> problems = new ArrayList<>();
        List<ExecutionProvider> eps = new ArrayList<>();
        for (String name : indexEntries()) {
            EpDataReader.readProvider(ROOT + name, resource(ROOT + name), problems).ifPresent(eps::add);
        }
        List<OrtRelease> releases = EpDataReader.readReleases(ROOT + "../ort-versions.json",
                resource("/dev/satchel/devices/ort-versions.json"), problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("execution-provider data is malformed:\n  " + String.join("\n  ", problems));
        }
        return new ExecutionProviderCatalogue(eps, releases);
    }

    /** The data file names listed in {@code ep/index.txt}. */
    public static List<String> indexEntries() {
        return lines(ROOT + "index.txt");
    }

    /**
     * The provider ids listed in {@code ep/providers.txt}, equal to {@code builtIn().providerIds()}
     * (tested) but read without parsing the operator tables, so profiles validate cheaply.
     */
    public static Set<String> declaredProviderIds() {
        return Set.copyOf(lines(ROOT + "providers.txt"));
    }

    private static List<String> lines(String resourcePath) {
        List<String> out = new ArrayList<>();
        for (String line : resource(resourcePath).split("\n")) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    private static String resource(String path) {
        try (InputStream in = ExecutionProviderCatalogue.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<ExecutionProvider> all() {
        return List.copyOf(byId.values());
    }

    public Optional<ExecutionProvider> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The data entries for a provider id as profiles name it ({@code coreml} gives both formats). */
    public List<ExecutionProvider> forProvider(String provider) {
        return byId.values().stream().filter(p -> p.provider().equals(provider)).toList();
    }

    /** Every provider id a device profile may name. */
    public Set<String> providerIds() {
        Set<String> out = new LinkedHashSet<>();
        byId.values().forEach(p -> out.add(p.provider()));
        return Set.copyOf(out);
    }

    /** Known ONNX Runtime releases, oldest first. */
    public List<OrtRelease> releases() {
        return releases;
    }

    /**
     * The release row for a version: an exact {@code MAJOR.MINOR} match ({@code 1.20.1} uses the
     * 1.20 row), else empty.
     */
    public Optional<OrtRelease> release(String version) {
        String[] p = version.split("\\.");
        String minor = p.length >= 2 ? p[0] + "." + p[1] : version;
        return releases.stream().filter(r -> r.version().equals(minor)).findFirst();
    }

    /** Compares dotted numeric versions: 1.9 &lt; 1.14 &lt; 1.20.1. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }
}
