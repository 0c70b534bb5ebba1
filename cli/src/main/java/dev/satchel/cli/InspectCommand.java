package dev.satchel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the model layer lands in this same change series. */
@Command(name = "inspect", description = "Summarise an ONNX model.")
final class InspectCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException(ExitCode.INTERNAL, "inspect is being built");
    }
}
