package dev.satchel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The root {@code satchel} command. Subcommands are listed in {@link #SUBCOMMANDS}, one class each.
 */
@Command(
        name = "satchel",
        mixinStandardHelpOptions = true,
        scope = picocli.CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Ship on-device ONNX models: inspect, quantize, check against devices, sign, pack and verify.",
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success        1  check or gate failed   2  usage error",
            "  3  invalid input  4  verification failed    5  I/O or environment error",
            "  70 internal error (please report it)",
            "",
            "Example:",
            "  satchel inspect model.onnx --dim batch=1 --dim sequence=128",
        })
public final class SatchelCommand implements Runnable {
    /**
     * Every subcommand, one class each: add new commands here. {@link Main} registers only the
     * one being run (picocli builds each command's model by reflection, the largest part of a
     * short run's start-up) and all of them when help is asked for or no command matches.
     */
    static final Class<?>[] SUBCOMMANDS = {
        InspectCommand.class,
        CdsTrainingCommand.class,
        KeygenCommand.class,
        SignCommand.class,
        VerifySignatureCommand.class,
        TrustCommand.class,
        ProfilesCommand.class,
        CheckCommand.class,
        PackCommand.class,
        VerifyBundleCommand.class,
        QuantizeCommand.class,
        PublishCommand.class,
        RepoCommand.class,
        ReportCommand.class,
        BuildCommand.class,
        InitCommand.class,
        LabCommand.class,
    };

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
