package dev.satchel.cli.build;

import dev.satchel.cli.build.ConfigProblem.Code;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses satchel.yaml into a {@link BuildConfig}, listing every problem at once with its line and
 * code. Uses SnakeYAML's composer only (nodes with marks; no object construction, no tags), so a
 * config cannot instantiate anything. Stateless.
 */
public final class BuildConfigParser {
    static final Set<String> QUANTIZE_MODES = Set.of("int8", "int8-static", "int4", "fp16");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final Path file;
    private final Path base;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private BuildConfigParser(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.base = parent == null ? Path.of(".").toAbsolutePath() : parent;
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws BuildConfigException with every problem found
     * @throws IOException when the file cannot be read
     */
    public static BuildConfig parse(Path file) throws IOException, BuildConfigException {
        return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses {@code text} as if read from {@code file} (paths resolve against its folder). */
    public static BuildConfig parse(Path file, String text) throws BuildConfigException {
        BuildConfigParser p = new BuildConfigParser(file);
        BuildConfig c = p.run(text);
        if (!p.problems.isEmpty()) {
            throw new BuildConfigException(p.problems);
        }
        return c;
    }

    private void problem(Node at, Code code, String message) {
        problems.add(new ConfigProblem(file, at == null ? 1 : at.getStartMark().getLine() + 1, code, message));
    }

    private BuildConfig run(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            problems.add(new ConfigProblem(file, e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1,
                    Code.YAML_SYNTAX, e.getProblem()));
            return null;
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            problems.add(new ConfigProblem(file, 1, Code.YAML_SYNTAX, e.getMessage()));
            return null;
        }
        if (!(root instanceof MappingNode)) {
            problem(root, Code.WRONG_TYPE, "the file must be a mapping of keys (model:, devices:, bundle: ...)");
            return null;
        }
        Map<String, Node> top = mapping(root, Set.of("model", "dims", "quantize", "evaluation", "devices", "bundle",
                "signing", "outputs"));
        String model = requiredString(root, top, "model");
        if (model != null && !model.startsWith("example:")) {
            Path p = base.resolve(model).normalize();
            if (!Files.isRegularFile(p)) {
                problem(top.get("model"), Code.FILE_NOT_FOUND, "model '" + model + "': no such file (" + p + ")");
            }
            model = p.toString();
        }
        Map<String, Long> dims = new LinkedHashMap<>();
        if (top.containsKey("dims")) {
            Node d = top.get("dims");
            for (Map.Entry<String, Node> e : mapping(d, null).entrySet()) {
                Long v = integer(e.getValue(), "dims." + e.getKey());
                if (v != null) {
                    if (v < 1) {
                        problem(e.getValue(), Code.BAD_VALUE, "dims." + e.getKey() + ": must be 1 or more, got " + v);
                    }
                    dims.put(e.getKey(), v);
                }
            }
        }
        Optional<BuildConfig.Quantize> quantize = top.containsKey("quantize") && !isNull(top.get("quantize"))
                ? quantize(top.get("quantize")) : Optional.empty();
        BuildConfig.Evaluation eval = evaluation(top.get("evaluation"));
        List<BuildConfig.Device> devices = devices(root, top.get("devices"));
        BuildConfig.Bundle bundle = bundle(root, top.get("bundle"));
        BuildConfig.Signing signing = top.containsKey("signing") && !isNull(top.get("signing"))
                ? signing(top.get("signing")) : BuildConfig.Signing.throwaway();
        Path outputs = base.resolve(top.containsKey("outputs") ? string(top.get("outputs"), "outputs") == null ? "dist"
                : string(top.get("outputs"), "outputs") : "dist").normalize();
        if (!problems.isEmpty()) {
            return null;
        }
        return new BuildConfig(file, model, dims, quantize, eval, devices, bundle, signing, outputs);
    }

    private Optional<BuildConfig.Quantize> quantize(Node n) {
        Map<String, Node> m = mapping(n, Set.of("mode", "gate", "exclude-ops", "exclude-nodes", "calibration"));
        String mode = m.containsKey("mode") ? string(m.get("mode"), "quantize.mode") : "int8";
        if (mode != null && !QUANTIZE_MODES.contains(mode)) {
            problem(m.get("mode"), Code.BAD_VALUE, "quantize.mode: expected one of int8, int8-static, int4, fp16, got '"
                    + mode + "'");
        }
        boolean gate = true;
        OptionalDouble min = OptionalDouble.empty();
        if (m.containsKey("gate")) {
            Node g = m.get("gate");
            if (g instanceof ScalarNode s && (s.getValue().equals("off") || s.getValue().equals("false"))) {
                gate = false;
            } else if (g instanceof ScalarNode s && s.getValue().equals("default")) {
                gate = true;
            } else {
                Map<String, Node> gm = mapping(g, Set.of("min-cosine"));
                if (gm.containsKey("min-cosine")) {
                    Double v = number(gm.get("min-cosine"), "quantize.gate.min-cosine");
                    if (v != null && !(v > 0 && v <= 1)) {
                        problem(gm.get("min-cosine"), Code.BAD_VALUE,
                                "quantize.gate.min-cosine: must be within (0, 1], got " + v);
                    } else if (v != null) {
                        min = OptionalDouble.of(v);
                    }
                }
            }
        }
        Optional<Path> calibration = optionalFolder(m.get("calibration"), "quantize.calibration");
        if (calibration.isPresent() && !"int8-static".equals(mode)) {
            problem(m.get("calibration"), Code.BAD_VALUE, "quantize.calibration applies to mode int8-static only");
        }
        return Optional.of(new BuildConfig.Quantize(mode == null ? "int8" : mode, gate, min,
                strings(m.get("exclude-ops"), "quantize.exclude-ops"),
                strings(m.get("exclude-nodes"), "quantize.exclude-nodes"), calibration));
    }

    private BuildConfig.Evaluation evaluation(Node n) {
        if (n == null || isNull(n)) {
            return new BuildConfig.Evaluation(true, 8, Map.of(), Optional.empty());
        }
        Map<String, Node> m = mapping(n, Set.of("enabled", "samples", "input-ranges", "inputs"));
        boolean enabled = !m.containsKey("enabled") || Boolean.TRUE.equals(bool(m.get("enabled"), "evaluation.enabled"));
        int samples = 8;
        if (m.containsKey("samples")) {
            Long s = integer(m.get("samples"), "evaluation.samples");
            if (s != null && (s < 1 || s > 10_000)) {
                problem(m.get("samples"), Code.BAD_VALUE, "evaluation.samples: must be within 1..10000, got " + s);
            } else if (s != null) {
                samples = s.intValue();
            }
        }
        Map<String, List<Long>> ranges = new LinkedHashMap<>();
        if (m.containsKey("input-ranges")) {
            for (Map.Entry<String, Node> e : mapping(m.get("input-ranges"), null).entrySet()) {
                String r = string(e.getValue(), "evaluation.input-ranges." + e.getKey());
                if (r == null) {
                    continue;
                }
                String[] parts = r.split(":");
                try {
                    if (parts.length != 2) {
                        throw new NumberFormatException();
                    }
                    long lo = Long.parseLong(parts[0].trim());
                    long hi = Long.parseLong(parts[1].trim());
                    if (hi < lo) {
                        throw new NumberFormatException();
                    }
                    ranges.put(e.getKey(), List.of(lo, hi));
                } catch (NumberFormatException x) {
                    problem(e.getValue(), Code.BAD_VALUE, "evaluation.input-ranges." + e.getKey()
                            + ": expected 'LO:HI' with whole numbers LO <= HI, got '" + r + "'");
                }
            }
        }
        Optional<Path> inputs = optionalFolder(m.get("inputs"), "evaluation.inputs");
        if (inputs.isPresent()) {
            // Real samples replace the generated ones: a count or ranges for them would be ignored.
            for (String k : List.of("samples", "input-ranges")) {
                if (m.containsKey(k)) {
                    problem(m.get(k), Code.BAD_VALUE, "evaluation." + k + " applies to generated inputs; "
                            + "evaluation.inputs gives the samples");
                }
            }
        }
        return new BuildConfig.Evaluation(enabled, samples, ranges, inputs);
    }

    private List<BuildConfig.Device> devices(Node root, Node n) {
        List<BuildConfig.Device> out = new ArrayList<>();
        if (n == null) {
            problem(root, Code.MISSING_KEY, "devices: list at least one target device (a built-in profile id or a profile file)");
            return out;
        }
        if (!(n instanceof SequenceNode seq)) {
            problem(n, Code.WRONG_TYPE, "devices: expected a list");
            return out;
        }
        if (seq.getValue().isEmpty()) {
            problem(n, Code.BAD_VALUE, "devices: list at least one target device");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Node d : seq.getValue()) {
            if (d instanceof ScalarNode s) {
                if (seen.add(s.getValue())) {
                    out.add(new BuildConfig.Device(s.getValue(), Optional.empty(), true, true, OptionalDouble.empty()));
                } else {
                    problem(d, Code.BAD_VALUE, "devices: '" + s.getValue() + "' is listed twice");
                }
                continue;
            }
            Map<String, Node> m = mapping(d, Set.of("id", "profile", "must-pass", "may-warn", "accelerator-share"));
            String id = requiredString(d, m, "id");
            Optional<Path> profile = Optional.empty();
            if (m.containsKey("profile")) {
                String p = string(m.get("profile"), "devices[].profile");
                if (p != null) {
                    Path f = base.resolve(p).normalize();
                    if (!Files.isRegularFile(f)) {
                        problem(m.get("profile"), Code.FILE_NOT_FOUND, "profile '" + p + "': no such file (" + f + ")");
                    }
                    profile = Optional.of(f);
                }
            }
            boolean mustPass = !m.containsKey("must-pass") || Boolean.TRUE.equals(bool(m.get("must-pass"), "must-pass"));
            boolean mayWarn = !m.containsKey("may-warn") || Boolean.TRUE.equals(bool(m.get("may-warn"), "may-warn"));
            OptionalDouble share = OptionalDouble.empty();
            if (m.containsKey("accelerator-share")) {
                Double v = number(m.get("accelerator-share"), "accelerator-share");
                if (v != null && !(v >= 0 && v <= 1)) {
                    problem(m.get("accelerator-share"), Code.BAD_VALUE,
                            "accelerator-share: a share of MACs within 0..1 (0.9 = 90%), got " + v);
                } else if (v != null) {
                    share = OptionalDouble.of(v);
                }
            }
            if (id != null) {
                if (!seen.add(id)) {
                    problem(d, Code.BAD_VALUE, "devices: '" + id + "' is listed twice");
                }
                out.add(new BuildConfig.Device(id, profile, mustPass, mayWarn, share));
            }
        }
        return out;
    }

    private BuildConfig.Bundle bundle(Node root, Node n) {
        if (n == null) {
            problem(root, Code.MISSING_KEY, "bundle: needs name and version");
            return null;
        }
        Map<String, Node> m = mapping(n, Set.of("name", "version", "display-version", "min-onnxruntime"));
        String name = requiredString(n, m, "name");
        if (name != null && !NAME.matcher(name).matches()) {
            problem(m.get("name"), Code.BAD_VALUE, "bundle.name: expected [a-z0-9][a-z0-9._-]*, got '" + name + "'");
        }
        Long version = null;
        if (!m.containsKey("version")) {
            problem(n, Code.MISSING_KEY, "bundle.version: the release counter (a whole number >= 1) is required");
        } else {
            version = integer(m.get("version"), "bundle.version");
            if (version != null && version < 1) {
                problem(m.get("version"), Code.BAD_VALUE, "bundle.version: must be 1 or more, got " + version);
            }
        }
        String display = m.containsKey("display-version") ? string(m.get("display-version"), "bundle.display-version")
                : null;
        String minOrt = m.containsKey("min-onnxruntime") ? string(m.get("min-onnxruntime"), "bundle.min-onnxruntime")
                : "1.17.0";
        if (name == null || version == null || minOrt == null) {
            return null;
        }
        return new BuildConfig.Bundle(name, version, display == null ? Long.toString(version) : display, minOrt);
    }

    private BuildConfig.Signing signing(Node n) {
        Map<String, Node> m = mapping(n, Set.of("key", "key-env", "pkcs11", "passphrase-file", "pin-file"));
        int sources = (m.containsKey("key") ? 1 : 0) + (m.containsKey("key-env") ? 1 : 0) + (m.containsKey("pkcs11") ? 1 : 0);
        if (sources != 1) {
            problem(n, sources == 0 ? Code.MISSING_KEY : Code.BAD_VALUE,
                    "signing: give exactly one of key (file), key-env (variable holding the PEM) or pkcs11");
            return BuildConfig.Signing.throwaway();
        }
        Optional<Path> passphrase = optionalFile(m.get("passphrase-file"), "signing.passphrase-file");
        Optional<Path> pin = optionalFile(m.get("pin-file"), "signing.pin-file");
        if (m.containsKey("key")) {
            Optional<Path> key = optionalFile(m.get("key"), "signing.key");
            return new BuildConfig.Signing(BuildConfig.Signing.Kind.FILE, key, Optional.empty(), Optional.empty(),
                    Optional.empty(), passphrase, pin);
        }
        if (m.containsKey("key-env")) {
            String env = string(m.get("key-env"), "signing.key-env");
            return new BuildConfig.Signing(BuildConfig.Signing.Kind.ENV, Optional.empty(), Optional.ofNullable(env),
                    Optional.empty(), Optional.empty(), passphrase, pin);
        }
        Map<String, Node> p = mapping(m.get("pkcs11"), Set.of("config", "alias"));
        Optional<Path> config = optionalFile(p.get("config"), "signing.pkcs11.config");
        if (!p.containsKey("config")) {
            problem(m.get("pkcs11"), Code.MISSING_KEY, "signing.pkcs11.config: the SunPKCS11 configuration file");
        }
        String alias = requiredString(m.get("pkcs11"), p, "alias");
        return new BuildConfig.Signing(BuildConfig.Signing.Kind.PKCS11, Optional.empty(), Optional.empty(), config,
                Optional.ofNullable(alias), passphrase, pin);
    }

    // --- node helpers ---

    private Map<String, Node> mapping(Node n, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof MappingNode mn)) {
            problem(n, Code.WRONG_TYPE, "expected a mapping (key: value lines)");
            return out;
        }
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), Code.WRONG_TYPE, "keys must be plain words");
                continue;
            }
            if (allowed != null && !allowed.contains(k.getValue())) {
                problem(k, Code.UNKNOWN_KEY, "unknown key '" + k.getValue() + "'; expected one of "
                        + new java.util.TreeSet<>(allowed));
                continue;
            }
            out.put(k.getValue(), t.getValueNode());
        }
        return out;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && n.getTag().getValue().endsWith(":null");
    }

    private String requiredString(Node parent, Map<String, Node> m, String key) {
        if (!m.containsKey(key)) {
            problem(parent, Code.MISSING_KEY, key + ": required");
            return null;
        }
        return string(m.get(key), key);
    }

    private String string(Node n, String what) {
        if (n instanceof ScalarNode s && !isNull(n)) {
            if (s.getValue().isBlank()) {
                problem(n, Code.BAD_VALUE, what + ": must not be empty");
                return null;
            }
            return s.getValue();
        }
        problem(n, Code.WRONG_TYPE, what + ": expected a text value");
        return null;
    }

    private List<String> strings(Node n, String what) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof SequenceNode seq)) {
            problem(n, Code.WRONG_TYPE, what + ": expected a list");
            return out;
        }
        for (Node x : seq.getValue()) {
            String s = string(x, what + "[]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private Long integer(Node n, String what) {
        if (n instanceof ScalarNode s && n.getTag().getValue().endsWith(":int")) {
            try {
                return Long.parseLong(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // falls through to the problem below
            }
        }
        problem(n, Code.WRONG_TYPE, what + ": expected a whole number, got '" + text(n) + "'");
        return null;
    }

    private Double number(Node n, String what) {
        if (n instanceof ScalarNode s && (n.getTag().getValue().endsWith(":float") || n.getTag().getValue().endsWith(":int"))) {
            try {
                return Double.parseDouble(s.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // falls through
            }
        }
        problem(n, Code.WRONG_TYPE, what + ": expected a number, got '" + text(n) + "'");
        return null;
    }

    private Boolean bool(Node n, String what) {
        if (n instanceof ScalarNode s && n.getTag().getValue().endsWith(":bool")) {
            return s.getValue().equalsIgnoreCase("true") || s.getValue().equalsIgnoreCase("yes")
                    || s.getValue().equalsIgnoreCase("on");
        }
        problem(n, Code.WRONG_TYPE, what + ": expected true or false, got '" + text(n) + "'");
        return null;
    }

    /** A folder named relative to the file; absent when the key is; a missing folder is a problem. */
    private Optional<Path> optionalFolder(Node n, String what) {
        if (n == null) {
            return Optional.empty();
        }
        String c = string(n, what);
        if (c == null) {
            return Optional.empty();
        }
        Path p = base.resolve(c).normalize();
        if (!Files.isDirectory(p)) {
            problem(n, Code.FILE_NOT_FOUND, what + ": no such folder " + p);
        }
        return Optional.of(p);
    }

    private Optional<Path> optionalFile(Node n, String what) {
        if (n == null) {
            return Optional.empty();
        }
        String s = string(n, what);
        if (s == null) {
            return Optional.empty();
        }
        Path p = base.resolve(s).normalize();
        if (!Files.isRegularFile(p)) {
            problem(n, Code.FILE_NOT_FOUND, what + " '" + s + "': no such file (" + p + ")");
        }
        return Optional.of(p);
    }

    private static String text(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : n == null ? "nothing" : n.getNodeId().name();
    }
}
