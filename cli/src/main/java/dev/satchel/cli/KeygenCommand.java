package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code satchel keygen}: a new signing key pair as PEM files. */
@Command(name = "keygen",
        header = "Generate a signing key pair (ECDSA P-256/P-384 or Ed25519).",
        description = {
            "Generate a signing key pair: PREFIX.key (PKCS#8 PEM, mode 0600) and",
            "PREFIX.pub (SPKI PEM). ecdsa-p256 is the default and what every OMS verifier",
            "accepts; the Python model_signing verifier does not accept ed25519.",
            "With --passphrase-file (or SATCHEL_KEY_PASSPHRASE) the private key is",
            "encrypted (PBES2, AES-256)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  satchel keygen --out ci-signing",
            "  satchel keygen --algorithm ed25519 --out release --passphrase-file pass.txt",
        })
final class KeygenCommand implements Callable<Integer> {
    @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ecdsa-p256",
            description = "ecdsa-p256 (default), ecdsa-p384 or ed25519.")
    String algorithm;

    @Option(names = "--out", paramLabel = "PREFIX", required = true,
            description = "Output prefix: writes PREFIX.key and PREFIX.pub (never overwrites).")
    Path out;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Encrypt the private key with the passphrase on this file's first line.")
    Path passphraseFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KeyAlgorithm alg = KeyAlgorithm.fromId(algorithm);
        if (alg == null || alg == KeyAlgorithm.ECDSA_P521) {
            throw new CliException(ExitCode.USAGE,
                    "--algorithm: expected ecdsa-p256, ecdsa-p384 or ed25519, got '" + algorithm + "'");
        }
        char[] pass = Secrets.read(passphraseFile, "SATCHEL_KEY_PASSPHRASE");
        PublicKeyInfo pub;
        try {
            pub = KeyFiles.writeKeyPair(KeyFiles.generate(alg), out, pass);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e; // the refusal to overwrite a key, reported as it is
        } catch (java.io.IOException e) {
            throw dev.satchel.model.ModelWriter.writeFailure(Path.of(out + ".key"), e);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + ".key (" + alg.id() + (pass == null ? "" : ", encrypted") + ", mode 0600) and " + out + ".pub");
        w.println("key id " + pub.keyId());
        w.flush();
        return ExitCode.OK.code();
    }
}
