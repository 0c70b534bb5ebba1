package dev.satchel.cli;

import dev.satchel.signing.tuf.RepositoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel repo refresh-timestamp}: a new timestamp version with a fresh expiry. */
@Command(name = "refresh-timestamp",
        description = {
            "Re-sign timestamp.json with a new version and expiry, pinning the same snapshot. Run it more often than "
                    + "the timestamp expiry (default 1 day), e.g. from cron, so devices can tell a fresh repository from "
                    + "a frozen one."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  satchel repo refresh-timestamp --repo site --keys online.key --expires timestamp=1"})
final class RepoRefreshTimestampCommand implements Callable<Integer> {
    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "Repository directory.")
    Path repo;

    @Option(names = {"--keys", "--key"}, paramLabel = "KEY", split = ",", required = true, description = "Timestamp private key(s).")
    List<Path> keys;

    @Option(names = "--expires", paramLabel = "ROLE=DAYS", description = "Validity of the new timestamp (timestamp=DAYS).")
    Map<String, Integer> expires;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of encrypted keys; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try {
            long v = RepoCommand.open(repo, expires).refreshTimestamp(RepoCommand.keys(keys, passphraseFile));
            spec.commandLine().getOut().println("timestamp version " + v + " written to " + repo + "/metadata/timestamp.json");
        } catch (RepositoryException ex) {
            throw RepoCommand.refused(ex);
        }
        return ExitCode.OK.code();
    }
}
