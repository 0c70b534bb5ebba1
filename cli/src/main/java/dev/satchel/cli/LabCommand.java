package dev.satchel.cli;

import dev.satchel.cli.lab.ContainerEngine;
import dev.satchel.cli.lab.DeviceLab;
import dev.satchel.cli.lab.DockerCli;
import dev.satchel.cli.lab.LabException;
import dev.satchel.cli.lab.LabReport;
import dev.satchel.cli.lab.LabReports;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel lab}: run models on device containers and compare with the check's estimates. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {
            "Run models on device containers (Docker) and compare with the check.",
            "Publishes each MODEL to a TUF repository served by an nginx container; each",
            "--device gets a container with the profile's app memory budget as its memory",
            "limit and the profile's CPU throughput, in host CPUs, as CPU quota; it",
            "installs the model with the update client and runs an ONNX Runtime inference.",
            "Prints measured peak memory and latency against 'satchel check' estimates.",
            "Needs Docker and the lab image (lab/setup.sh). Writes the build report files",
            "(report.json/.md/.html, junit.xml, report.sarif) with a lab section next to",
            "the -o file (or into --reports DIR). Exit 0 when every result agrees with the",
            "prediction, 1 when one does not, 5 when Docker or the image is not available.",
            "docs/device-lab.md."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel lab example:minilm-q example:minilm --device android-go-1gb \\",
            "      --device android-go-2gb --dim batch_size=1 --dim sequence_length=128"
        })
final class LabCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "MODEL", description = "ONNX model files (or example:ID).")
    List<String> models;

    @Option(names = "--device", required = true, paramLabel = "ID",
            description = "Device profile to emulate (repeatable); every model runs on every device.")
    List<String> devices = new ArrayList<>();

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "target/satchel-lab",
            description = "Scratch directory: keys, bundles, repository, device stores (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = DeviceLab.DEFAULT_IMAGE,
            description = "Base image built by lab/setup.sh (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--onnxruntime-jar", paramLabel = "JAR",
            description = "onnxruntime jar for the device containers (default: the pinned version in ~/.m2).")
    Path ortJar;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "5", description = "Timed inference runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--deadline", paramLabel = "SECONDS", defaultValue = "150",
            description = "Wall-clock limit of one device run (default: ${DEFAULT-VALUE}).")
    long deadline;

    @Option(names = "--docker", paramLabel = "COMMAND", defaultValue = "docker",
            description = "The docker client to run (default: ${DEFAULT-VALUE}).")
    String docker;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Also write the satchel.lab/v1 JSON here.")
    Path output;

    @Option(names = "--reports", paramLabel = "DIR",
            description = "Folder for the report files (default: the -o file's folder, else --work); "
                    + "one subfolder per model when there are several.")
    Path reports;

    @Mixin
    DimOptions dims;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || deadline < 10) {
            throw new CliException(ExitCode.USAGE, "--runs must be >= 1 and --deadline >= 10");
        }
        ContainerEngine engine = new DockerCli(docker);
        StringBuilder why = new StringBuilder();
        if (!engine.available(why)) {
            throw new CliException(ExitCode.IO_ERROR, "Docker is not available (" + why
                    + "); the lab needs a Docker daemon: run lab/setup.sh");
        }
        ProfileCatalogue catalogue = ProfileCatalogue.builtIn();
        List<DeviceProfile> targets = new ArrayList<>();
        for (String id : devices) {
            targets.add(catalogue.find(id).orElseThrow(() -> new CliException(ExitCode.INPUT_INVALID,
                    "no profile '" + id + "'; see satchel profiles list")));
        }
        Map<String, Long> bindings = dims.bindings();
        List<DeviceLab.Case> cases = new ArrayList<>();
        Map<Path, DeviceLab.Model> byFile = new LinkedHashMap<>();
        for (String m : models) {
            Path file = ModelPaths.resolve(m);
            byFile.putIfAbsent(file, new DeviceLab.Model(file, bindings, m));
        }
        for (DeviceProfile d : targets) {
            for (DeviceLab.Model m : byFile.values()) {
                cases.add(new DeviceLab.Case(d, m));
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        DeviceLab lab = new DeviceLab(engine, new DeviceLab.Options(work, image, ortJar != null ? ortJar : defaultOrtJar(),
                runs, Duration.ofSeconds(deadline), Runtime.getRuntime().availableProcessors()),
                line -> {
                    err.println("lab: " + line);
                    err.flush();
                });
        LabReport report;
        try {
            report = lab.run(cases);
        } catch (LabException ex) {
            ExitCode code = switch (ex.code()) {
                case DOCKER_UNAVAILABLE, IMAGE_MISSING, RUNTIME_MISSING, CONTAINER_FAILED -> ExitCode.IO_ERROR;
                case PREPARE_FAILED -> ExitCode.INPUT_INVALID;
            };
            throw new CliException(code, ex.getMessage(), ex);
        }
        Instant now = Instant.now();
        String json = report.toJson(now);
        if (output != null) {
            Files.writeString(output, json + "\n");
        }
        Path reportDir = reports != null ? reports
                : output != null && output.toAbsolutePath().getParent() != null ? output.toAbsolutePath().getParent() : work;
        Map<DeviceLab.Model, Path> written = LabReports.write(report, new ArrayList<>(byFile.values()), now,
                new VersionProvider().getVersion()[0], reportDir);
        written.values().forEach(f -> err.println("lab: report " + f));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.format() == OutputFormat.json ? json : report.toText());
        out.flush();
        return report.allAgree() ? ExitCode.OK.code() : ExitCode.CHECK_FAILED.code();
    }

    private static Path defaultOrtJar() throws IOException {
        Properties p = new Properties();
        try (InputStream in = LabCommand.class.getResourceAsStream("/satchel-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        String v = p.getProperty("onnxruntime", "unknown");
        String repo = System.getProperty("maven.repo.local");
        Path base = repo != null ? Paths.get(repo) : Paths.get(System.getProperty("user.home"), ".m2", "repository");
        return base.resolve("com/microsoft/onnxruntime/onnxruntime/" + v + "/onnxruntime-" + v + ".jar");
    }
}
