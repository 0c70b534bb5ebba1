package dev.satchel.signing;

import dev.satchel.verifier.signature.VerifiedModel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A signature that was written and then re-verified by the device verifier.
 *
 * @param signature the signature file
 * @param verified what the verifier accepted (root digest, resources, signer)
 */
public record SignResult(Path signature, VerifiedModel verified) {
    public SignResult {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(verified, "verified");
    }
}
