package dev.satchel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.satchel.devices.DeviceProfile;
import dev.satchel.devices.ProfileCatalogue;
import dev.satchel.devices.ProfileException;
import dev.satchel.devices.ProfileProblem;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code satchel profiles validate FILE...}: every problem in each file, or "ok". */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {
            "Validate profile files (format: docs/profile-schema.md).",
            "Prints every problem as FILE:LINE: CODE: MESSAGE on stderr and exits 3 if",
            "any file is invalid. A file may extend a built-in profile or a PARENT.yaml",
            "next to it."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel profiles validate our-pixel.yaml",
            "  satchel profiles validate devices/*.yaml --format json",
        })
final class ProfilesValidateCommand implements Callable<Integer> {
    static final String SCHEMA = "satchel.profiles.validate/v1";

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Profile YAML files.")
    List<Path> files;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode results = root.putArray("files");
        boolean allValid = true;
        for (Path f : files) {
            ObjectNode r = results.addObject();
            r.put("file", f.toString());
            ArrayNode problems = r.putArray("problems");
            try {
                DeviceProfile p = ProfileCatalogue.builtIn().read(f);
                r.put("valid", true);
                r.put("id", p.id());
                if (format.format() == OutputFormat.text) {
                    out.printf("%s: ok (%s%s)%n", f, p.id(), p.extendsId().map(e -> ", extends " + e).orElse(""));
                }
            } catch (NoSuchFileException e) {
                throw new CliException(ExitCode.INPUT_INVALID, f + ": no such file", e);
            } catch (ProfileException e) {
                allValid = false;
                r.put("valid", false);
                for (ProfileProblem p : e.problems()) {
                    ObjectNode pn = problems.addObject();
                    pn.put("file", p.file());
                    pn.put("line", p.line());
                    pn.put("code", p.code().label());
                    pn.put("message", p.message());
                }
                if (format.format() == OutputFormat.text) {
                    ProfilesCommand.printProblems(e.problems(), err);
                    out.printf("%s: invalid, %s%n", f, ProfilesCommand.problemCount(e.problems()));
                }
            }
        }
        if (format.format() == OutputFormat.json) {
            out.println(mapper.writeValueAsString(root));
        }
        out.flush();
        return allValid ? ExitCode.OK.code() : ExitCode.INPUT_INVALID.code();
    }
}
