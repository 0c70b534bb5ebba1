package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel trust revoke}: a signed revocation list withdrawing a key. */
@Command(name = "revoke",
        description = {"Withdraw a key with a revocation list signed by a trusted key.",
            "Its signatures then fail with KEY_REVOKED, and keys it endorsed by",
            "rotation are no longer trusted through it."},
        footerHeading = "%nExamples:%n",
        footer = {"  satchel trust revoke --trust trust.json --signing-key ci-2027.key \\",
            "      --revoke-public-key ci-2026.pub --reason 'key compromise'"})
final class TrustRevokeCommand implements Callable<Integer> {
    @Option(names = "--trust", paramLabel = "TRUSTFILE", required = true, description = "Trust file to edit.")
    Path trust;

    @Option(names = "--signing-key", paramLabel = "KEY", required = true, description = "Private key of a trusted key that signs the list.")
    Path signingKey;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of the signing key; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--revoke-public-key", paramLabel = "PUB", description = "Public key to revoke.")
        Path publicKey;

        @Option(names = "--revoke-key-id", paramLabel = "HEX", description = "Key id (64 hex digits) to revoke.")
        String keyId;
    }

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "unspecified", description = "Why (shown in verification errors).")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SigningKey signer = KeyFiles.readPrivateKey(signingKey, Secrets.read(passphraseFile, "SATCHEL_KEY_PASSPHRASE"));
        String id = target.publicKey != null ? KeyFiles.readPublicKey(target.publicKey).keyId() : target.keyId;
        if (!id.matches("[0-9a-f]{64}")) {
            throw new CliException(ExitCode.USAGE, "--revoke-key-id: expected 64 lower-case hex digits, got '" + id + "'");
        }
        TrustCommand.save(trust, TrustCommand.load(trust).addRevocationList(signer, Map.of(id, reason), Instant.now()));
        spec.commandLine().getOut().println("revoked " + id + " (" + reason + ") in " + trust);
        return ExitCode.OK.code();
    }
}
