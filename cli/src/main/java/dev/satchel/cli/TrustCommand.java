package dev.satchel.cli;

import dev.satchel.signing.SigningException;
import dev.satchel.signing.TrustFileBuilder;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.TrustConfig;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code satchel trust}: edits trust files (docs/trust-format.md). */
@Command(name = "trust",
        header = "Edit a trust file: keys, CAs, rotation, revocation.",
        description = {
            "Edit a trust file for verify-signature --trust: trusted keys, certificate",
            "authorities, signed key rotation records and signed revocation lists",
            "(docs/trust-format.md). Every edit is checked by the device verifier's",
            "trust parser before the file is replaced."
        },
        subcommands = {TrustAddKeyCommand.class, TrustAddCaCommand.class, TrustRotateCommand.class, TrustRevokeCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel trust add-key --trust trust.json --public-key ci-2026.pub",
            "  satchel trust rotate --trust trust.json --old-key ci-2026.key \\",
            "      --new-public-key ci-2027.pub",
            "  satchel trust revoke --trust trust.json --signing-key ci-2027.key \\",
            "      --revoke-public-key ci-2026.pub --reason 'key compromise'",
        })
final class TrustCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The trust file's builder: the existing file's content, or empty when it does not exist yet. */
    static TrustFileBuilder load(Path trust) throws IOException, SigningException {
        return Files.exists(trust) ? TrustFileBuilder.from(Files.readAllBytes(trust)) : TrustFileBuilder.create();
    }

    /** Checks the new content with the device verifier's parser, then replaces the file atomically. */
    static TrustConfig save(Path trust, TrustFileBuilder builder) throws IOException {
        byte[] json = builder.toJson();
        TrustConfig parsed;
        try {
            parsed = TrustConfig.parse(json);
        } catch (ModelSignatureException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, "the edited trust file would not load, not written: " + ex.getMessage(), ex);
        }
        Path dir = trust.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + trust.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, json);
            try {
                Files.move(tmp, trust, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, trust, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return parsed;
    }

    static Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException ex) {
            throw new CliException(ExitCode.USAGE, option + ": expected an RFC 3339 UTC time like 2027-01-01T00:00:00Z, got '" + value + "'");
        }
    }
}
