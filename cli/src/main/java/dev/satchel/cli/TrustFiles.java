package dev.satchel.cli;

import dev.satchel.signing.KeyFiles;
import dev.satchel.signing.SigningException;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationException;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.TrustConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What the verifying commands share: the trust given as {@code --public-key PUB} or
 * {@code --trust TRUSTFILE}, and a bundle check with the device verifier's code.
 */
final class TrustFiles {
    private TrustFiles() {}

    /**
     * Reads the trust; exactly one of the two paths is set. A broken key or trust file is bad
     * input (exit 3), named in the message, not a failed verification.
     */
    static TrustConfig load(Path publicKey, Path trustFile) throws IOException {
        Path source = publicKey != null ? publicKey : trustFile;
        try {
            if (publicKey != null) {
                return TrustConfig.ofPublicKey(KeyFiles.readPublicKey(publicKey)); // its messages name the file
            }
            return TrustConfig.parse(Files.readAllBytes(trustFile));
        } catch (SigningException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, ex.getMessage(), ex);
        } catch (ModelSignatureException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, source + ": " + ex.getMessage(), ex);
        } catch (NoSuchFileException ex) {
            throw new CliException(ExitCode.INPUT_INVALID, source + ": no such file", ex);
        }
    }

    /** Verifies a signed bundle against the trust; a rejection is exit 4 with its code. */
    static VerifiedBundle verifyBundle(Path bundle, TrustConfig trust) throws IOException {
        try {
            return BundleVerifier.create(VerificationPolicy.requireSignature(OmsSignatureCheck.of(trust))).verify(bundle);
        } catch (VerificationException ex) {
            throw new CliException(ExitCode.VERIFICATION_FAILED, bundle + ": " + ex.code() + ": " + ex.getMessage(), ex);
        }
    }
}
