package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.Pkcs11Keys;
import dev.satchel.signing.SigningKey;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that unlock a signing key, shared by {@code sign} and {@code pack}: the passphrase
 * of a key file, the PIN of a PKCS#11 token, and an optional certificate chain. Secrets come from
 * a file's first line or an environment variable, never from the command line (where {@code ps}
 * and shell history would show them).
 */
final class KeyCredentials {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Passphrase of an encrypted key (first line); else SATCHEL_KEY_PASSPHRASE.")
    Path passphraseFile;

    @Option(names = "--pin-file", paramLabel = "FILE", description = "PKCS#11 user PIN (first line); else SATCHEL_PKCS11_PIN.")
    Path pinFile;

    @Option(names = "--certificate-chain", paramLabel = "PEM",
            description = "Sign with a certificate: PEM chain, leaf first (the leaf must hold the signing key).")
    Path certificateChain;

    /** The key in {@code keyFile}, or else on the token {@code pkcs11} names, with the chain attached. */
    SigningKey load(Path keyFile, SignCommand.Pkcs11 pkcs11) throws Exception {
        SigningKey key;
        if (keyFile != null) {
            key = KeyFiles.readPrivateKey(keyFile, Secrets.read(passphraseFile, "SATCHEL_KEY_PASSPHRASE"));
        } else {
            char[] pin = Secrets.read(pinFile, "SATCHEL_PKCS11_PIN");
            if (pin == null) {
                throw new CliException(ExitCode.INPUT_INVALID, "the PKCS#11 PIN is needed: --pin-file FILE or SATCHEL_PKCS11_PIN");
            }
            key = Pkcs11Keys.load(pkcs11.config, pkcs11.alias, pin);
        }
        if (certificateChain != null) {
            key = key.withCertificateChain(KeyFiles.readCertificates(certificateChain));
        }
        return key;
    }
}
