package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningKey;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel trust rotate}: the old key signs a record endorsing the new key. */
@Command(name = "rotate",
        description = {"Endorse a new key with an already trusted one (signed rotation record).",
            "Verifiers that trust the old key then accept signatures by the new one.",
            "The old key stays trusted until it expires or is revoked."},
        footerHeading = "%nExamples:%n",
        footer = {"  satchel trust rotate --trust trust.json --old-key ci-2026.key --new-public-key ci-2027.pub"})
final class TrustRotateCommand implements Callable<Integer> {
    @Option(names = "--trust", paramLabel = "TRUSTFILE", required = true, description = "Trust file to edit.")
    Path trust;

    @Option(names = "--old-key", paramLabel = "KEY", required = true, description = "Private key of the currently trusted key.")
    Path oldKey;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Passphrase of the old key; else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Option(names = "--new-public-key", paramLabel = "PUB", required = true, description = "Public key to endorse.")
    Path newPublicKey;

    @Option(names = "--not-after", paramLabel = "TIME", description = "End of the new key's validity (RFC 3339 UTC).")
    String notAfter;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SigningKey old = KeyFiles.readPrivateKey(oldKey, Secrets.read(passphraseFile, "SATCHEL_KEY_PASSPHRASE"));
        PublicKeyInfo next = KeyFiles.readPublicKey(newPublicKey);
        TrustCommand.save(trust, TrustCommand.load(trust).addRotation(old, next, TrustCommand.instant("--not-after", notAfter)));
        spec.commandLine().getOut().println("rotation " + old.publicKey().keyId() + " -> " + next.keyId() + " added to " + trust);
        return ExitCode.OK.code();
    }
}
