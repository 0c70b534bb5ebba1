package dev.satchel.devices;

import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.devices.internal.ProfileBinder;
import dev.satchel.devices.internal.RawProfile;
import dev.satchel.devices.internal.YNode;
import dev.satchel.devices.internal.YamlLoader;
import dev.satchel.devices.internal.YamlMerge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of device profiles: the built-in catalogue shipped in this jar, optionally with profile
 * files added by the user. Profiles are read from YAML (docs/profile-schema.md), {@code extends}
 * chains are merged, and every profile is validated once, here; afterwards only immutable
 * {@link DeviceProfile} values circulate. Instances are immutable and thread-safe.
 *
 * <p>Parents named by {@code extends} are looked up among the catalogue's profiles first, then as
 * {@code <id>.yaml} or {@code <id>.yml} next to the file that names them.
 */
public final class ProfileCatalogue {
    private static final String ROOT = "/dev/satchel/devices/profiles/";
    private static final String INDEX = ROOT + "index.txt";
    private static volatile ProfileCatalogue builtIn;

    private final Map<String, RawProfile> raws;
    private final Map<String, DeviceProfile> profiles;
    private final Set<String> knownProviders;

    private ProfileCatalogue(Map<String, RawProfile> raws, Map<String, DeviceProfile> profiles,
            Set<String> knownProviders) {
        this.raws = Map.copyOf(raws);
        this.profiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        this.knownProviders = Set.copyOf(knownProviders);
    }

    /**
     * The profiles shipped with Satchel. Loaded once per JVM.
     *
     * @throws IllegalStateException if a built-in profile is invalid (a packaging bug; the build's
     *     tests validate every built-in profile)
     */
    public static ProfileCatalogue builtIn() {
        ProfileCatalogue c = builtIn;
        if (c == null) {
            synchronized (ProfileCatalogue.class) {
                c = builtIn;
                if (c == null) {
                    c = loadBuiltIn(ExecutionProviderCatalogue.declaredProviderIds());
                    builtIn = c;
                }
            }
        }
        return c;
    }

    /** The ids listed in the built-in index, in catalogue order. */
    static List<String> builtInFileNames() {
        try (InputStream in = ProfileCatalogue.class.getResourceAsStream(INDEX)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + INDEX);
            }
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The built-in catalogue from its compiled form ({@code profiles/catalogue.json}, written from
     * the YAML files and kept equal to them by CompiledCatalogueTest): reading one JSON resource is
     * several times cheaper at CLI start than parsing every YAML file. Falls back to the YAML files
     * when the compiled form is absent.
     */
    private static ProfileCatalogue loadBuiltIn(Set<String> providers) {
        try (InputStream in = ProfileCatalogue.class.getResourceAsStream(ROOT + "catalogue.json")) {
            if (in == null) {
                return loadBuiltInFromYaml(providers);
            }
            return fromCompiledJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), providers);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("compiled built-in catalogue is unreadable: " + e.getMessage(), e);
        }
    }

    static ProfileCatalogue fromCompiledJson(String json, Set<String> providers) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root = dev.satchel.devices.internal.JsonTrees.parse(json);
        Map<String, DeviceProfile> profiles = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode n : root.path("profiles")) {
            DeviceProfile p = dev.satchel.devices.internal.ProfileJsonReader.read(n);
            profiles.put(p.id(), p);
        }
        return new ProfileCatalogue(Map.of(), profiles, providers);
    }

    /** The compiled form of a catalogue, as stored in {@code profiles/catalogue.json}. */
    static String compiledJson(ProfileCatalogue c) {
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
        com.fasterxml.jackson.databind.node.ObjectNode root = m.createObjectNode();
        root.put("schema", "satchel.catalogue/v1");
        root.put("note", "Generated from the YAML files in this folder; do not edit. Regenerate with"
                + " mvn -pl device-profiles test -Dtest=CompiledCatalogueTest -Dsatchel.updateCatalogue=true");
        com.fasterxml.jackson.databind.node.ArrayNode arr = root.putArray("profiles");
        c.all().forEach(p -> arr.add(ProfileJson.tree(p)));
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in catalogue read from the YAML files (what the compiled form must equal). */
    static ProfileCatalogue loadBuiltInFromYaml(Set<String> providers) {
        Map<String, String> texts = new LinkedHashMap<>();
        for (String name : builtInFileNames()) {
            try (InputStream in = ProfileCatalogue.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("index names " + name + " but the resource is missing");
                }
                texts.put("built-in:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return fromTexts(texts, providers);
        } catch (ProfileException e) {
            throw new IllegalStateException("built-in profile catalogue is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * A catalogue of exactly the given profile texts (file name to YAML), validated together. For
     * tests and tools; most callers want {@link #builtIn()} and {@link #withFiles(Collection)}.
     *
     * @throws ProfileException listing every problem in every file
     */
    public static ProfileCatalogue fromTexts(Map<String, String> texts, Set<String> knownProviders)
            throws ProfileException {
        List<ProfileProblem> problems = new ArrayList<>();
        Map<String, RawProfile> raws = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : texts.entrySet()) {
            parseRaw(t.getKey(), t.getValue(), problems).ifPresent(r -> addRaw(raws, r, problems, false));
        }
        ProfileCatalogue empty = new ProfileCatalogue(Map.of(), Map.of(), knownProviders);
        Map<String, DeviceProfile> bound = empty.bindAll(raws, problems);
        throwIfAny(problems);
        return new ProfileCatalogue(raws, bound, knownProviders);
    }

    /**
     * This catalogue plus the given profile files. A file whose id equals a built-in id replaces
     * the built-in (so a team can pin its own numbers for a device).
     *
     * @throws ProfileException listing every problem in every file (codes in {@link ProfileProblem.Code})
     * @throws IOException if a file cannot be read
     */
    public ProfileCatalogue withFiles(Collection<Path> files) throws ProfileException, IOException {
        List<ProfileProblem> problems = new ArrayList<>();
        Map<String, RawProfile> added = new LinkedHashMap<>();
        for (Path f : files) {
            readRaw(f, problems).ifPresent(r -> addRaw(added, r, problems, false));
        }
        Map<String, RawProfile> all = new LinkedHashMap<>(raws);
        all.putAll(added);
        Map<String, DeviceProfile> bound = new LinkedHashMap<>(profiles);
        bound.putAll(bindAll(added, all, problems, files));
        throwIfAny(problems);
        return new ProfileCatalogue(all, bound, knownProviders);
    }

    /**
     * Reads and validates one profile file against this catalogue without adding it.
     *
     * @throws ProfileException listing every problem found
     * @throws IOException if the file cannot be read
     */
    public DeviceProfile read(Path file) throws ProfileException, IOException {
        List<ProfileProblem> problems = new ArrayList<>();
        Optional<RawProfile> raw = readRaw(file, problems);
        throwIfAny(problems);
        Map<String, RawProfile> one = new LinkedHashMap<>();
        addRaw(one, raw.get(), problems, true);
        Map<String, RawProfile> all = new LinkedHashMap<>(raws);
        all.putAll(one);
        Map<String, DeviceProfile> bound = bindAll(one, all, problems, List.of(file));
        throwIfAny(problems);
        return bound.values().iterator().next();
    }

    /** All profiles, built-ins in catalogue order, then added files. */
    public List<DeviceProfile> all() {
        return List.copyOf(profiles.values());
    }

    public Optional<DeviceProfile> find(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    // ---- internals -----------------------------------------------------------------------------

    private Map<String, DeviceProfile> bindAll(Map<String, RawProfile> targets, List<ProfileProblem> problems) {
        return bindAll(targets, targets, problems, List.of());
    }

    private Map<String, DeviceProfile> bindAll(Map<String, RawProfile> targets, Map<String, RawProfile> lookup,
            List<ProfileProblem> problems, Collection<Path> files) {
        Map<String, DeviceProfile> out = new LinkedHashMap<>();
        for (RawProfile raw : targets.values()) {
            Map<String, RawProfile> scope = new LinkedHashMap<>(lookup);
            Optional<YNode.YMap> merged = resolve(raw, scope, siblingDir(raw, files), new ArrayDeque<>(), problems);
            if (merged.isEmpty()) {
                continue;
            }
            ProfileBinder binder = new ProfileBinder(knownProviders);
            String origin = raw.file();
            binder.bind(merged.get(), origin, raw.extendsId()).ifPresent(p -> out.put(p.id(), p));
            for (ProfileProblem p : binder.problems()) {
                if (!problems.contains(p)) {
                    problems.add(p);
                }
            }
        }
        return out;
    }

    private static Optional<Path> siblingDir(RawProfile raw, Collection<Path> files) {
        for (Path f : files) {
            if (f.toString().equals(raw.file())) {
                return Optional.ofNullable(f.toAbsolutePath().getParent());
            }
        }
        return Optional.empty();
    }

    private Optional<YNode.YMap> resolve(RawProfile raw, Map<String, RawProfile> lookup, Optional<Path> dir,
            Deque<String> chain, List<ProfileProblem> problems) {
        if (raw.extendsId().isEmpty()) {
            return Optional.of(raw.tree());
        }
        String parentId = raw.extendsId().get();
        if (!DeviceProfile.ID.matcher(parentId).matches()) {
            // Also keeps the sibling-file lookup below inside the child's folder ("../x" is no id).
            problems.add(new ProfileProblem(raw.file(), raw.extendsLine(), ProfileProblem.Code.INVALID_VALUE,
                    "extends '" + parentId + "' is not a profile id (pattern " + DeviceProfile.ID + ")"));
            return Optional.empty();
        }
        for (String key : List.of("id", "name")) {
            if (raw.tree().get(key).isEmpty()) {
                problems.add(new ProfileProblem(raw.file(), raw.tree().line(), ProfileProblem.Code.MISSING_FIELD,
                        "a profile that extends another must set its own '" + key + "'"));
                return Optional.empty();
            }
        }
        chain.push(raw.id().orElse(raw.file()));
        try {
            if (chain.contains(parentId)) {
                problems.add(new ProfileProblem(raw.file(), raw.extendsLine(), ProfileProblem.Code.EXTENDS_CYCLE,
                        "extends '" + parentId + "' leads back to itself: " + String.join(" -> ", reversed(chain))
                                + " -> " + parentId));
                return Optional.empty();
            }
            RawProfile parent = lookup.get(parentId);
            if (parent == null) {
                parent = builtInRaw(parentId, problems).orElse(null);
                if (parent != null) {
                    lookup.put(parentId, parent);
                }
            }
            if (parent == null && dir.isPresent()) {
                for (String ext : List.of(".yaml", ".yml")) {
                    Path candidate = dir.get().resolve(parentId + ext);
                    if (Files.isRegularFile(candidate)) {
                        try {
                            Optional<RawProfile> r = readRaw(candidate, problems);
                            if (r.isEmpty()) {
                                return Optional.empty();
                            }
                            parent = r.get();
                            lookup.put(parentId, parent);
                        } catch (IOException e) {
                            problems.add(new ProfileProblem(candidate.toString(), 0, ProfileProblem.Code.UNKNOWN_PARENT,
                                    "cannot read parent profile: " + e.getMessage()));
                            return Optional.empty();
                        }
                        break;
                    }
                }
            }
            if (parent == null) {
                problems.add(new ProfileProblem(raw.file(), raw.extendsLine(), ProfileProblem.Code.UNKNOWN_PARENT,
                        "extends '" + parentId + "', which is neither a built-in profile nor a file "
                                + parentId + ".yaml next to this one"));
                return Optional.empty();
            }
            Optional<YNode.YMap> parentTree = resolve(parent, lookup, dir, chain, problems);
            return parentTree.map(t -> YamlMerge.merge(t, raw.tree()));
        } finally {
            chain.pop();
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, RawProfile> BUILT_IN_RAWS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A built-in profile's YAML tree, parsed on first use (only user files that extend it need it). */
    private static Optional<RawProfile> builtInRaw(String id, List<ProfileProblem> problems) {
        RawProfile cached = BUILT_IN_RAWS.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        String name = id + ".yaml";
        if (!builtInFileNames().contains(name)) {
            return Optional.empty();
        }
        try (InputStream in = ProfileCatalogue.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            Optional<RawProfile> raw = parseRaw("built-in:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    problems);
            raw.ifPresent(r -> BUILT_IN_RAWS.put(id, r));
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> reversed(Deque<String> chain) {
        List<String> out = new ArrayList<>(chain);
        java.util.Collections.reverse(out);
        return out;
    }

    private static void addRaw(Map<String, RawProfile> into, RawProfile raw, List<ProfileProblem> problems,
            boolean replaceAllowed) {
        if (raw.id().isEmpty()) {
            problems.add(new ProfileProblem(raw.file(), raw.tree().line(), ProfileProblem.Code.MISSING_FIELD,
                    "missing 'id'"));
            return;
        }
        RawProfile prev = into.get(raw.id().get());
        if (prev != null && !replaceAllowed) {
            problems.add(new ProfileProblem(raw.file(), raw.tree().entry("id").get().keyLine(),
                    ProfileProblem.Code.DUPLICATE_ID, "id '" + raw.id().get() + "' is also used by " + prev.file()));
            return;
        }
        into.put(raw.id().get(), raw);
    }

    private static Optional<RawProfile> readRaw(Path file, List<ProfileProblem> problems) throws IOException {
        String name = file.toString();
        if (Files.size(file) > YamlLoader.MAX_CHARS) {
            problems.add(new ProfileProblem(name, 0, ProfileProblem.Code.YAML_SYNTAX, "file is " + Files.size(file)
                    + " bytes; profiles are limited to " + YamlLoader.MAX_CHARS));
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            problems.add(new ProfileProblem(name, 0, ProfileProblem.Code.YAML_SYNTAX, "file is not UTF-8 text"));
            return Optional.empty();
        }
        return parseRaw(name, text, problems);
    }

    private static Optional<RawProfile> parseRaw(String file, String text, List<ProfileProblem> problems) {
        YNode node;
        try {
            node = YamlLoader.load(file, text);
        } catch (ProfileException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
        if (!(node instanceof YNode.YMap)) {
            problems.add(new ProfileProblem(file, node.line(), ProfileProblem.Code.WRONG_TYPE,
                    "a profile must be a mapping (id: ..., name: ...), found " + node.describe()));
            return Optional.empty();
        }
        ProfileBinder dupCheck = new ProfileBinder(Set.of());
        dupCheck.checkDuplicates(node);
        problems.addAll(dupCheck.problems());
        return Optional.of(RawProfile.of((YNode.YMap) node));
    }

    private static void throwIfAny(List<ProfileProblem> problems) throws ProfileException {
        if (!problems.isEmpty()) {
            List<ProfileProblem> sorted = new ArrayList<>(new java.util.LinkedHashSet<>(problems));
            sorted.sort(Comparator.comparing(ProfileProblem::file).thenComparingInt(ProfileProblem::line));
            throw new ProfileException(sorted);
        }
    }
}
