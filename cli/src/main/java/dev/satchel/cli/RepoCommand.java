package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import dev.satchel.signing.tuf.RepositoryException;
import dev.satchel.signing.tuf.TufRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code satchel repo}: life cycle of a TUF update repository (docs/update-repository.md). */
@Command(name = "repo",
        header = "Create and maintain a TUF update repository.",
        description = {
            "Manage a static TUF update repository of bundles: create it, rotate role keys, re-sign the timestamp. "
                    + "Add bundles with 'satchel publish'. Layout and metadata: docs/update-repository.md."
        },
        subcommands = {RepoInitCommand.class, RepoRotateKeyCommand.class, RepoRefreshTimestampCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel repo init --repo site --root-key root.key --targets-key targets.key \\",
            "      --snapshot-key online.key --timestamp-key online.key",
            "  satchel repo rotate-key --repo site --role timestamp --new-key ts-2027.key \\",
            "      --keys root.key",
            "  satchel repo refresh-timestamp --repo site --keys online.key",
        })
final class RepoCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Reads private keys (PEM, optionally encrypted with the passphrase from a file or SATCHEL_KEY_PASSPHRASE). */
    static List<SigningKey> keys(List<Path> files, Path passphraseFile) throws Exception {
        List<SigningKey> out = new ArrayList<>();
        if (files != null) {
            char[] pass = Secrets.read(passphraseFile, "SATCHEL_KEY_PASSPHRASE");
            for (Path f : files) {
                out.add(KeyFiles.readPrivateKey(f, pass));
            }
        }
        return out;
    }

    /** A writer with the expiries given as ROLE=DAYS. */
    static TufRepository open(Path repo, Map<String, Integer> expiresDays) {
        TufRepository r = TufRepository.at(repo, Clock.systemUTC());
        if (expiresDays != null) {
            for (Map.Entry<String, Integer> e : expiresDays.entrySet()) {
                try {
                    r.expiry(e.getKey(), Duration.ofDays(e.getValue()));
                } catch (IllegalArgumentException ex) {
                    throw new CliException(ExitCode.USAGE, "--expires: expected ROLE=DAYS with ROLE root, targets, "
                            + "snapshot or timestamp and DAYS > 0, got " + e.getKey() + "=" + e.getValue());
                }
            }
        }
        return r;
    }

    /** The one-line report of a refused repository operation (exit 3: the inputs do not allow it). */
    static CliException refused(RepositoryException ex) {
        return new CliException(ExitCode.INPUT_INVALID, ex.code() + ": " + ex.getMessage(), ex);
    }
}
