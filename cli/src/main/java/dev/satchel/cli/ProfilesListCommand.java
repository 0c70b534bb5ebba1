package dev.satchel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satchel.devices.DeviceClass;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel profiles list}: one line per profile. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {
            "List device profiles.",
            "Shows id, class, RAM, the model memory budget the checker uses, the ONNX",
            "Runtime version and the execution providers that reach the accelerators."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel profiles list",
            "  satchel profiles list --class phone --format json",
            "  satchel profiles list --profile ./our-devices/pixel-lab.yaml",
        })
final class ProfilesListCommand implements Callable<Integer> {
    static final String SCHEMA = "satchel.profiles.list/v1";

    @Option(names = "--class", paramLabel = "CLASS",
            description = "Only profiles of this class: phone, tablet, laptop, board, browser, automotive.")
    String deviceClass;

    @Option(names = "--profile", paramLabel = "FILE", description = "Add a profile file to the catalogue. Repeatable.")
    List<Path> profiles = new ArrayList<>();

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProfileCatalogue catalogue = ProfilesCommand.catalogue(profiles, spec.commandLine().getErr());
        List<DeviceProfile> shown = new ArrayList<>();
        if (deviceClass != null && DeviceClass.fromLabel(deviceClass).isEmpty()) {
            throw new CliException(ExitCode.USAGE, "--class '" + deviceClass
                    + "': expected phone, tablet, laptop, board, browser or automotive");
        }
        for (DeviceProfile p : catalogue.all()) {
            if (deviceClass == null || p.deviceClass().label().equals(deviceClass)) {
                shown.add(p);
            }
        }
        if (format.format() == OutputFormat.json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("schema", SCHEMA);
            ArrayNode arr = root.putArray("profiles");
            for (DeviceProfile p : shown) {
                ObjectNode o = arr.addObject();
                o.put("id", p.id());
                o.put("name", p.name());
                o.put("class", p.deviceClass().label());
                if (p.ramGb().isPresent()) {
                    o.put("ram_gb", p.ramGb().get().value());
                } else {
                    o.putNull("ram_gb");
                }
                if (p.memory().modelBudgetMb().isPresent()) {
                    o.put("model_budget_mb", p.memory().modelBudgetMb().get().value());
                    o.put("model_budget_evidence", p.memory().modelBudgetMb().get().evidence().label());
                } else {
                    o.putNull("model_budget_mb");
                }
                ArrayNode eps = o.putArray("execution_providers");
                p.executionProviders().forEach(eps::add);
                o.put("onnxruntime", p.onnxRuntime().value());
                o.put("origin", p.origin());
            }
            out.println(mapper.writeValueAsString(root));
        } else {
            int w = Math.max(2, shown.stream().mapToInt(p -> p.id().length()).max().orElse(2));
            String fmt = "%-" + w + "s  %-10s  %-6s  %-20s  %-5s  %s%n";
            out.printf(fmt, "ID", "CLASS", "RAM", "MODEL BUDGET", "ORT", "EXECUTION PROVIDERS");
            for (DeviceProfile p : shown) {
                String budget = p.memory().modelBudgetMb().map(ProfilesCommand::mib).orElse("unknown");
                out.printf(fmt, p.id(), p.deviceClass().label(), ProfilesCommand.ram(p), budget,
                        p.onnxRuntime().value(), String.join(", ", p.executionProviders()));
            }
            out.printf("%d profiles. Details: satchel profiles show ID%n", shown.size());
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
