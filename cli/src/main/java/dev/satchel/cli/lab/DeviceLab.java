package dev.satchel.cli.lab;

import dev.satchel.cli.Main;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.check.CheckOptions;
import dev.satchel.devices.check.CheckReport;
import dev.satchel.devices.check.CheckReportJson;
import dev.satchel.devices.check.CompatibilityChecker;
import dev.satchel.devices.check.DeviceReport;
import dev.satchel.devices.ep.ExecutionProviderCatalogue;
import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.tool.SatchelVerify;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device lab (issue 8, docs/device-lab.md): publishes models to a TUF repository served by an
 * nginx container, then for every (device profile, model) case runs device containers with the
 * profile's memory limit and CPU quota: the update client installs the newest bundle whose device
 * claims fit, and an ONNX Runtime smoke inference ({@link Smoke}) runs on the installed model. The
 * cgroup's peak memory and the latency are compared with {@code satchel check}'s estimate.
 *
 * <p>Containers run through a {@link ContainerEngine}; everything else (keys, bundles, repository)
 * is made by the satchel command itself, in-process. Not thread-safe: one run at a time per work
 * directory.
 */
public final class DeviceLab {
    /** The base image lab/setup.sh builds (Debian minbase, JRE 17, nginx-light). */
    public static final String DEFAULT_IMAGE = "satchel-lab-base:latest";
    private static final String JAVA = "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -Xmx32m";
    private static final Pattern EXIT_LINE = Pattern.compile("SATCHEL-LAB-EXIT rc=(-?\\d+) peak=(-?\\d+) oom_kill=(-?\\d+)");
    private static final long MIB = 1024L * 1024;

    /**
     * A model to publish and run, with the dim bindings its inputs need.
     *
     * @param source how the user named it (a path or {@code example:ID}), recorded in the reports
     */
    public record Model(Path file, Map<String, Long> dims, String source) {
        public Model {
            Objects.requireNonNull(file);
            dims = Map.copyOf(new LinkedHashMap<>(dims));
            Objects.requireNonNull(source);
        }

        /** A model named by its path. */
        public Model(Path file, Map<String, Long> dims) {
            this(file, dims, file.toString());
        }

        /** Bundle name: the file name without {@code .onnx}, lower-cased, as a manifest name. */
        public String name() {
            String n = file.getFileName().toString().replaceFirst("\\.onnx$", "").toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9._-]", "-");
            return n.isEmpty() || !Character.isLetterOrDigit(n.charAt(0)) ? "m" + n : n;
        }
    }

    /** One device container running one model. */
    public record Case(DeviceProfile device, Model model) {
        public Case {
            Objects.requireNonNull(device);
            Objects.requireNonNull(model);
        }
    }

    /**
     * Where and how to run.
     *
     * @param workDir scratch directory (keys, bundles, repository, device stores); created if needed
     * @param image base image (lab/setup.sh)
     * @param onnxRuntimeJar the onnxruntime jar mounted into device containers
     * @param runs timed smoke runs after the warm-up run
     * @param deadline wall-clock limit of one device run, after which it is killed (a process
     *     thrashing at its memory limit can take minutes before the OOM killer acts)
     * @param hostCpus CPUs the containers may use at most
     */
    public record Options(Path workDir, String image, Path onnxRuntimeJar, int runs, Duration deadline, int hostCpus) {
        public Options {
            Objects.requireNonNull(workDir);
            Objects.requireNonNull(image);
            Objects.requireNonNull(onnxRuntimeJar);
            Objects.requireNonNull(deadline);
            if (runs < 1 || hostCpus < 1) {
                throw new IllegalArgumentException("runs and hostCpus must be >= 1");
            }
        }
    }

    private final ContainerEngine engine;
    private final Options options;
    private final Consumer<String> progress;
    private final CpuQuota.Host host;

    /** A lab on this machine: the CPU quota rule reads the host's clock and flags from /proc/cpuinfo. */
    public DeviceLab(ContainerEngine engine, Options options, Consumer<String> progress) {
        this(engine, options, progress, CpuQuota.Host.detect(options.hostCpus(), Paths.get("/proc/cpuinfo")));
    }

    /** A lab whose CPU quotas are computed for {@code host}. */
    public DeviceLab(ContainerEngine engine, Options options, Consumer<String> progress, CpuQuota.Host host) {
        this.engine = Objects.requireNonNull(engine);
        this.options = Objects.requireNonNull(options);
        this.progress = Objects.requireNonNull(progress);
        this.host = Objects.requireNonNull(host);
    }

    /** The device's container memory limit: the profile's app budget (what the OS lets an app have). */
    public static Optional<Long> memoryLimitBytes(DeviceProfile p) {
        return p.memory().appBudgetMb().map(f -> f.value() * MIB);
    }

    /**
     * Runs every case and returns the report. Disagreements are results, not exceptions.
     *
     * @throws LabException {@code DOCKER_UNAVAILABLE} (no daemon), {@code IMAGE_MISSING} (run
     *     lab/setup.sh), {@code RUNTIME_MISSING} (onnxruntime jar), {@code PREPARE_FAILED} (a
     *     profile without memory budgets, or keygen/pack/publish failed), {@code CONTAINER_FAILED}
     *     (a container could not be run or the update server did not answer)
     * @throws IOException if the work directory or a model cannot be read or written
     */
    public LabReport run(List<Case> cases) throws LabException, IOException {
        StringBuilder why = new StringBuilder();
        if (!engine.available(why)) {
            throw new LabException(LabException.Code.DOCKER_UNAVAILABLE, "Docker is not available: " + why);
        }
        if (!engine.hasImage(options.image())) {
            throw new LabException(LabException.Code.IMAGE_MISSING, "image " + options.image()
                    + " not found; build it with lab/setup.sh");
        }
        if (!Files.isRegularFile(options.onnxRuntimeJar())) {
            throw new LabException(LabException.Code.RUNTIME_MISSING, "onnxruntime jar not found: " + options.onnxRuntimeJar());
        }
        for (Case c : cases) {
            if (memoryLimitBytes(c.device()).isEmpty() || c.device().memory().modelBudgetMb().isEmpty()) {
                throw new LabException(LabException.Code.PREPARE_FAILED, "profile '" + c.device().id()
                        + "' has no app and model memory budget, so it has no container limit");
            }
        }
        Path work = options.workDir().toAbsolutePath();
        Files.createDirectories(work);
        Path keys = work.resolve("keys");
        Path site = work.resolve("repository");
        deleteTree(site);
        deleteTree(work.resolve("devices"));
        Files.createDirectories(keys);

        progress.accept("keys and repository in " + work);
        Path runtime = stageRuntime(work.resolve("runtime"));
        for (String k : List.of("release", "root", "targets", "online")) {
            if (!Files.exists(keys.resolve(k + ".key"))) {
                satchel("keygen", "--algorithm", "ed25519", "--out", keys.resolve(k).toString());
            }
        }
        satchel("repo", "init", "--repo", site.toString(), "--root-key", keys.resolve("root.key").toString(),
                "--targets-key", keys.resolve("targets.key").toString(), "--snapshot-key", keys.resolve("online.key").toString(),
                "--timestamp-key", keys.resolve("online.key").toString());

        // One check per model over every lab device: the estimates to compare, and the claims the
        // bundle carries (satchel pack --check-report), which the update client applies.
        Map<Model, CheckReport> checks = new LinkedHashMap<>();
        Map<Model, Path> bundles = new LinkedHashMap<>();
        Map<Model, Boolean> quantized = new LinkedHashMap<>();
        for (Case c : cases) {
            if (checks.containsKey(c.model())) {
                continue;
            }
            Model m = c.model();
            Set<DeviceProfile> devices = new LinkedHashSet<>();
            cases.stream().filter(x -> x.model().equals(m)).forEach(x -> devices.add(x.device()));
            OnnxModel onnx = ModelReader.read(m.file());
            quantized.put(m, CpuQuota.quantized(onnx.facts().opTypes().keySet()));
            CheckReport report = check(onnx, m, new ArrayList<>(devices));
            checks.put(m, report);
            Path checkJson = work.resolve(m.name() + ".check.json");
            Files.writeString(checkJson, CheckReportJson.toJson(report));
            Path bundle = work.resolve(m.name() + "-1.bundle");
            progress.accept("pack and publish " + m.name());
            satchel("pack", m.file().toString(), "-o", bundle.toString(), "--name", m.name(), "--version", "1",
                    "--check-report", checkJson.toString(), "--key", keys.resolve("release.key").toString());
            satchel("publish", bundle.toString(), "--repo", site.toString(), "--public-key",
                    keys.resolve("release.pub").toString(), "--keys",
                    keys.resolve("targets.key") + "," + keys.resolve("online.key"));
            bundles.put(m, bundle);
        }

        int port = freePort();
        Path nginxConf = work.resolve("nginx.conf");
        Files.writeString(nginxConf, String.join("\n",
                "daemon off;", "user root;", "worker_processes 1;", "pid /tmp/nginx.pid;", "error_log stderr warn;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log off;",
                "  default_type application/octet-stream;",
                "  client_body_temp_path /tmp/nginx-body;",
                "  server { listen 127.0.0.1:" + port + "; root /srv/repository; }",
                "}", ""));
        String repoUrl = "http://127.0.0.1:" + port + "/";
        List<LabResult> results = new ArrayList<>();
        progress.accept("update server (nginx) on " + repoUrl);
        try (ContainerEngine.Running server = engine.start(new ContainerEngine.ContainerSpec(options.image(),
                List.of("nginx", "-c", "/etc/satchel-lab/nginx.conf"),
                List.of(new ContainerEngine.Bind(site, "/srv/repository", true),
                        new ContainerEngine.Bind(nginxConf, "/etc/satchel-lab/nginx.conf", true)),
                0, 0, null, Duration.ofMinutes(1)))) {
            waitForServer(repoUrl + "metadata/1.root.json");
            for (Case c : cases) {
                results.add(runCase(c, checks.get(c.model()), quantized, bundles.get(c.model()), site, keys, runtime,
                        repoUrl));
            }
        }
        return new LabReport(options.image(), host, cgroupVersion(), results);
    }

    /**
     * The check a lab run compares with: the model against its lab devices with its dims (the same
     * call for the bundle's claims and for the lab's reports).
     */
    static CheckReport check(OnnxModel onnx, Model m, List<DeviceProfile> devices) throws IOException {
        return new CompatibilityChecker(ExecutionProviderCatalogue.builtIn()).check(onnx, devices,
                new CheckOptions(m.dims(), java.util.OptionalLong.empty()));
    }

    private LabResult runCase(Case c, CheckReport check, Map<Model, Boolean> quantized, Path bundle, Path site,
            Path keys, Path runtime, String repoUrl) throws LabException, IOException {
        DeviceProfile d = c.device();
        DeviceReport dr = check.devices().stream().filter(r -> r.deviceId().equals(d.id())).findFirst().orElseThrow();
        long limit = memoryLimitBytes(d).orElseThrow();
        CpuQuota quota = CpuQuota.of(d, quantized.get(c.model()), host);
        int threads = quota.threads();
        double cpus = quota.cpus();
        String id = d.id() + "--" + c.model().name();
        Path dir = options.workDir().toAbsolutePath().resolve("devices").resolve(id);
        Path store = dir.resolve("store");
        Files.createDirectories(store);

        List<ContainerEngine.Bind> binds = new ArrayList<>();
        List<String> verifierCp = List.of("/lab/cp/verifier");
        binds.add(new ContainerEngine.Bind(runtime.resolve("verifier"), "/lab/cp/verifier", true));
        binds.add(new ContainerEngine.Bind(runtime.resolve("smoke"), "/lab/cp/smoke", true));
        binds.add(new ContainerEngine.Bind(options.onnxRuntimeJar(), "/lab/cp/onnxruntime.jar", true));
        binds.add(new ContainerEngine.Bind(site.resolve("metadata/1.root.json"), "/lab/root.json", true));
        binds.add(new ContainerEngine.Bind(keys.resolve("release.pub"), "/lab/release.pub", true));
        binds.add(new ContainerEngine.Bind(store, "/store", false));
        binds.add(new ContainerEngine.Bind(bundle, "/lab/forced.bundle", true));
        String smokeCp = "/lab/cp/verifier:/lab/cp/smoke:/lab/cp/onnxruntime.jar";

        progress.accept(String.format(Locale.ROOT, "%s: %s, limit %d MiB, %s: update", d.id(), c.model().name(),
                limit / MIB, quota.basis()));
        String update = JAVA + " -cp " + String.join(":", verifierCp) + " " + SatchelVerify.class.getName()
                + " update --repo " + repoUrl + " --store /store --root /lab/root.json --trust /lab/release.pub --name "
                + c.model().name() + " --profile " + d.id();
        Step u = step(update, binds, limit, cpus);
        String updateOut = u.output.lines().filter(l -> !l.startsWith("SATCHEL-LAB-EXIT")).reduce((a, b) -> a + "\n" + b)
                .orElse("").strip();

        StringBuilder dimArgs = new StringBuilder();
        c.model().dims().forEach((k, v) -> dimArgs.append(' ').append(shellQuote(k + "=" + v)));
        String smokeArgs = " --trust /lab/release.pub" + (cpus < threads ? " --no-spinning " : " ") + threads + " "
                + options.runs() + dimArgs;
        progress.accept(d.id() + ": " + c.model().name() + ": smoke inference");
        Step s = step(JAVA + " -cp " + smokeCp + " " + Smoke.class.getName() + " --store /store --name "
                + c.model().name() + smokeArgs, binds, limit, cpus);
        LabResult.Outcome outcome;
        Optional<LabResult.Measured> measured = Optional.empty();
        Optional<LabResult.Run> enforcement = Optional.empty();
        JsonObject smoke = s.smoke;
        if (u.rc != 0 && u.rc != 4) {
            outcome = LabResult.Outcome.FAILED;
        } else if (smoke != null && s.installed) {
            outcome = s.outcome();
            measured = Optional.of(measured(smoke, s.peak));
        } else if (smoke != null) {
            outcome = LabResult.Outcome.REFUSED;
            progress.accept(d.id() + ": " + c.model().name() + ": refused; forcing the bundle under the same limit");
            Step f = step(JAVA + " -cp " + smokeCp + " " + Smoke.class.getName() + " --bundle /lab/forced.bundle"
                    + smokeArgs, binds, limit, cpus);
            enforcement = Optional.of(new LabResult.Run(f.outcome(), f.rc, f.peak));
        } else {
            outcome = s.outcome();
        }
        if (outcome == LabResult.Outcome.FAILED) {
            progress.accept(d.id() + ": " + c.model().name() + ": FAILED\n" + u.output + "\n" + s.output);
        }
        return new LabResult(d.id(), limit, quota, c.model().name(), Files.size(c.model().file()), dr.dims(),
                dr.memory().totalBytes(), dr.modelBudgetBytes().orElse(0L), dr.verdict().name().toLowerCase(Locale.ROOT),
                dr.latency().map(l -> l.milliseconds()), u.rc, updateOut, u.peak, s.peak, outcome, measured, enforcement);
    }

    private static LabResult.Measured measured(JsonObject smoke, long cgroupPeak) {
        try {
            JsonArray runs = smoke.array("runNanos");
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                ms.add(((Number) runs.get(i)).doubleValue() / 1e6);
            }
            return new LabResult.Measured(cgroupPeak, smoke.longValue("peakRssBytes", 0, Long.MAX_VALUE),
                    smoke.longValue("baselineRssBytes", 0, Long.MAX_VALUE),
                    smoke.longValue("sessionNanos", 0, Long.MAX_VALUE) / 1e6, ms);
        } catch (JsonException ex) {
            throw new IllegalStateException("smoke result: " + ex.getMessage(), ex);
        }
    }

    /** One container run of a command under the device's limits, with its cgroup figures. */
    private static final class Step {
        int rc = -1;
        long peak = -1;
        long oomKills = -1;
        String output = "";
        JsonObject smoke;
        boolean installed;

        LabResult.Outcome outcome() {
            if (rc == 0 && smoke != null) {
                return LabResult.Outcome.RAN;
            }
            // The cgroup counts the OOM killer's kills; -1 means the kernel has no such counter
            // (cgroup v1 before 4.13), where a SIGKILL before the deadline can only be the kernel's.
            if (rc == 137 && oomKills > 0) {
                return LabResult.Outcome.OOM_KILLED;
            }
            // 124: the script saw the deadline pass ("timeout -s KILL" itself exits 137, as its
            // process group gets the KILL too, so the script tells the two apart by elapsed time).
            if (rc == 124) {
                return LabResult.Outcome.STALLED_AT_LIMIT;
            }
            if (rc == 137 && oomKills < 0) {
                return LabResult.Outcome.OOM_KILLED;
            }
            return LabResult.Outcome.FAILED;
        }
    }

    private Step step(String command, List<ContainerEngine.Bind> binds, long limit, double cpus) throws LabException {
        // bash stays as the container's init so the cgroup can be read after the OOM killer ended
        // java. "timeout -s KILL" exits 137 like the kernel's kill does (the KILL goes to its
        // whole process group), so a 137 at or past the deadline is reported as 124.
        long deadline = options.deadline().toSeconds();
        String script = "SECONDS=0; timeout -s KILL " + deadline + " " + command + "; rc=$?\n"
                + "if [ $rc -eq 137 ] && [ $SECONDS -ge " + deadline + " ]; then rc=124; fi\n"
                + "cg=/sys/fs/cgroup; peak=-1; oom=-1\n"
                + "if [ -r $cg/memory.peak ]; then peak=$(cat $cg/memory.peak); oom=$(awk '$1==\"oom_kill\"{print $2}' $cg/memory.events)\n"
                + "elif [ -r $cg/memory/memory.max_usage_in_bytes ]; then peak=$(cat $cg/memory/memory.max_usage_in_bytes);"
                + " oom=$(awk '$1==\"oom_kill\"{print $2}' $cg/memory/memory.oom_control); fi\n"
                + "echo \"SATCHEL-LAB-EXIT rc=$rc peak=$peak oom_kill=${oom:--1}\"\n";
        ContainerEngine.Finished f = engine.run(new ContainerEngine.ContainerSpec(options.image(),
                List.of("bash", "-c", script), binds, limit, Math.round(cpus * 1e9), containerUser(),
                options.deadline().plusSeconds(30)));
        Step s = new Step();
        s.output = f.output();
        Matcher m = EXIT_LINE.matcher(f.output());
        if (m.find()) {
            s.rc = Integer.parseInt(m.group(1));
            s.peak = Long.parseLong(m.group(2));
            s.oomKills = Long.parseLong(m.group(3));
        } else {
            s.rc = f.exitCode();
        }
        for (String line : f.output().split("\n")) {
            if (line.startsWith(Smoke.RESULT_PREFIX)) {
                try {
                    s.smoke = Json.parseObject(line.substring(Smoke.RESULT_PREFIX.length()).getBytes(StandardCharsets.UTF_8));
                    s.installed = s.smoke.bool("installed");
                } catch (JsonException ex) {
                    throw new LabException(LabException.Code.CONTAINER_FAILED, "unreadable smoke result: " + line, ex);
                }
            }
        }
        return s;
    }

    /**
     * The work directory owner's uid:gid, so device stores stay deletable by whoever runs the lab;
     * null (the image's root) when that is root.
     */
    private String containerUser() throws LabException {
        try {
            Path w = options.workDir().toAbsolutePath();
            int uid = (Integer) Files.getAttribute(w, "unix:uid");
            int gid = (Integer) Files.getAttribute(w, "unix:gid");
            return uid == 0 ? null : uid + ":" + gid;
        } catch (IOException | UnsupportedOperationException ex) {
            return null;
        }
    }

    /**
     * Copies what device containers run (the verifier's classes, and {@link Smoke}'s class, which
     * needs nothing else from the satchel command) into {@code dir}, so a rebuild of the
     * satchel command's own jars or class directories during a run cannot break it.
     */
    private static Path stageRuntime(Path dir) throws LabException, IOException {
        deleteTree(dir);
        Path verifier = codeSource(SatchelVerify.class);
        if (Files.isDirectory(verifier)) {
            copyTree(verifier, dir.resolve("verifier"));
        } else {
            extract(verifier, dir.resolve("verifier"), "");
        }
        String smokePackage = Smoke.class.getPackageName().replace('.', '/');
        Path cli = codeSource(Smoke.class);
        Path smokeDir = dir.resolve("smoke").resolve(smokePackage);
        Files.createDirectories(smokeDir);
        if (Files.isDirectory(cli)) {
            try (var list = Files.list(cli.resolve(smokePackage))) {
                for (Path f : list.filter(f -> f.getFileName().toString().matches("Smoke(\\$.*)?\\.class")).toList()) {
                    Files.copy(f, smokeDir.resolve(f.getFileName()));
                }
            }
        } else {
            extract(cli, dir.resolve("smoke"), smokePackage + "/Smoke");
        }
        return dir;
    }

    /** Extracts the jar's entries whose names start with {@code prefix} (all for ""). */
    private static void extract(Path jar, Path to, String prefix) throws IOException {
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(jar.toFile())) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(z.entries())) {
                if (e.isDirectory() || !e.getName().startsWith(prefix) || e.getName().contains("..")) {
                    continue;
                }
                Path out = to.resolve(e.getName());
                Files.createDirectories(out.getParent());
                try (java.io.InputStream in = z.getInputStream(e)) {
                    Files.copy(in, out);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path f : walk.toList()) {
                Path out = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(out);
                } else {
                    Files.copy(f, out);
                }
            }
        }
    }

    /** The jar or classes directory {@code c} was loaded from (what gets mounted into containers). */
    public static Path codeSource(Class<?> c) throws LabException {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException ex) {
            throw new LabException(LabException.Code.RUNTIME_MISSING, "cannot locate the jar of " + c.getName(), ex);
        }
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void satchel(String... args) throws LabException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (rc != 0) {
            throw new LabException(LabException.Code.PREPARE_FAILED, "satchel " + args[0] + " exited " + rc + ": "
                    + err.toString().strip());
        }
    }

    private static void waitForServer(String url) throws LabException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(1000);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200) {
                    return;
                }
                last = "HTTP " + code;
            } catch (IOException ex) {
                last = ex.toString();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new LabException(LabException.Code.CONTAINER_FAILED, "update server did not answer " + url + ": " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String cgroupVersion() {
        return Files.exists(Paths.get("/sys/fs/cgroup/cgroup.controllers")) ? "v2" : "v1";
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
