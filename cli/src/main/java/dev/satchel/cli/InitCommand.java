package dev.satchel.cli;

import dev.satchel.model.ModelReader;
import dev.satchel.model.OnnxModel;
import dev.satchel.model.ValueInfo;
import dev.satchel.packager.quantize.EvalSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code satchel init}: a commented starter satchel.yaml for a model. */
@Command(name = "init",
        header = "Write a commented starter satchel.yaml for a model.", mixinStandardHelpOptions = true,
        description = {
            "Write a commented starter satchel.yaml for MODEL (docs/satchel-yaml.md): the",
            "model's symbolic dimensions bound (a batch to 1, others to 128: set the sizes",
            "your app uses), int8 quantization with its default",
            "accuracy gate, three target devices, a bundle name from the file name, and a",
            "throwaway signing key until you configure one. Refuses to overwrite a file",
            "unless --force.",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel init example:minilm && satchel build",
            "  satchel init models/encoder.onnx -o ci/satchel.yaml",
            "  satchel init model.onnx -o -        (print instead of writing)",
        })
final class InitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "Path to an .onnx file, or example:ID.")
    String model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "satchel.yaml",
            description = "Where to write (default: ${DEFAULT-VALUE}; - for standard output).")
    String output;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path resolved = ModelPaths.resolve(model);
        OnnxModel m = ModelReader.read(resolved);
        boolean stdout = output.equals("-");
        Path target = stdout ? null : Path.of(output);
        String modelRef = model;
        if (!model.startsWith(ModelPaths.PREFIX) && target != null) {
            Path base = target.toAbsolutePath().getParent();
            Path abs = resolved.toAbsolutePath().normalize();
            modelRef = base != null && abs.getRoot().equals(base.getRoot())
                    ? base.relativize(abs).toString().replace('\\', '/') : abs.toString();
        }
        String text = render(modelRef, m);
        PrintWriter out = spec.commandLine().getOut();
        if (stdout) {
            out.print(text);
        } else {
            if (Files.exists(target) && !force) {
                throw new CliException(ExitCode.INPUT_INVALID, target + " exists; pass --force to overwrite it");
            }
            BuildCommand.writeAtomically(target.toAbsolutePath(), text);
            out.println("Wrote " + target + "; edit it, then run: satchel build " + (output.equals("satchel.yaml")
                    ? "" : output));
        }
        out.flush();
        return ExitCode.OK.code();
    }

    static String render(String modelRef, OnnxModel m) {
        // A symbol that leads some input's shape is a batch: 1. Any other (a sequence, an image
        // side, a sample count) gets the size quantize evaluates unbound dimensions with: at 1 the
        // gate would measure one-token sentences or one-pixel images, and the memory plan too.
        List<List<String>> inputDims = new ArrayList<>();
        for (ValueInfo v : m.facts().inputs()) {
            if (v.type().shape() != null) {
                inputDims.add(v.type().shape().stream().map(d -> d.isSymbolic() ? d.symbol() : "").toList());
            }
        }
        Map<String, Long> dims = new TreeMap<>();
        for (List<String> names : inputDims) {
            for (String sym : names) {
                if (!sym.isEmpty()) {
                    dims.put(sym, EvalSpec.unboundSize(sym, inputDims));
                }
            }
        }
        String name = modelRef.startsWith(ModelPaths.PREFIX) ? modelRef.substring(ModelPaths.PREFIX.length())
                : Path.of(modelRef).getFileName().toString().replaceFirst("\\.onnx$", "");
        name = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (name.isEmpty()) {
            name = "model";
        }
        StringBuilder b = new StringBuilder();
        b.append("# satchel.yaml: how `satchel build` turns this model into a signed bundle and reports.\n")
                .append("# Reference: docs/satchel-yaml.md. Paths are relative to this file.\n\n")
                .append("# The model: a path to an .onnx file, or example:ID for a pinned example model.\n")
                .append("model: ").append(quote(modelRef)).append("\n\n")
                .append("# Values for the model's symbolic dimensions, used by the checker's memory plan\n")
                .append("# and by the quantization gate's evaluation inputs.\n");
        if (dims.isEmpty()) {
            b.append("dims: {}\n");
        } else {
            b.append("dims:\n");
            dims.forEach((k, v) -> b.append("  ").append(quote(k)).append(": ").append(v)
                    .append(v == 1 ? "    # batch\n" : "    # a guess: set the size your app runs with\n"));
        }
        b.append("\n# Quantization (remove this block to ship the model as it is).\n")
                .append("quantize:\n")
                .append("  mode: int8              # int8 | int8-static | int4 | fp16 (see satchel quantize --help)\n")
                .append("  gate: default           # default | off | {min-cosine: 0.99}: fail the build below it\n")
                .append("  # exclude-ops: [Gather]\n\n")
                .append("# Inputs the accuracy gate runs both models on: generated and seeded, or real ones with\n")
                .append("# inputs: DIR (one folder per sample, a .npy or .pb per model input) instead of the two below.\n")
                .append("evaluation:\n")
                .append("  samples: 8\n")
                .append("  # input-ranges: {input_ids: \"0:30521\"}   # integer inputs: LO:HI\n\n")
                .append("# Target devices: built-in profile ids (satchel profiles list) or your own profile files.\n")
                .append("#   must-pass: false       report the device but never fail the build on it\n")
                .append("#   may-warn: false        a warn verdict fails the build too\n")
                .append("#   accelerator-share: 0.9 the preferred accelerator must take 90% of the MACs\n")
                .append("devices:\n")
                .append("  - id: samsung-galaxy-s24-snapdragon\n")
                .append("  - id: apple-iphone-15-pro\n")
                .append("  - id: android-go-1gb\n")
                .append("    must-pass: false\n")
                .append("  # - id: our-device\n")
                .append("  #   profile: profiles/our-device.yaml\n\n")
                .append("bundle:\n")
                .append("  name: ").append(quote(name)).append('\n')
                .append("  version: 1                # release counter: devices refuse versions not above theirs\n")
                .append("  display-version: \"1.0.0\"\n\n")
                .append("# Signing. Without this block satchel build signs with a THROWAWAY key it generates\n")
                .append("# (fine for trying things out, refused by devices). Give exactly one source:\n")
                .append("# signing:\n")
                .append("#   key: keys/release.key            # PEM file (passphrase: SATCHEL_KEY_PASSPHRASE)\n")
                .append("#   key-env: SATCHEL_SIGNING_KEY     # or PEM text in an environment variable\n")
                .append("#   pkcs11: {config: softhsm.cfg, alias: release}   # or a token (PIN: SATCHEL_PKCS11_PIN)\n\n")
                .append("# Where the bundle and reports go.\n")
                .append("outputs: dist\n");
        return b.toString();
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:-]+") && !s.contains(": ") ? s
                : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
