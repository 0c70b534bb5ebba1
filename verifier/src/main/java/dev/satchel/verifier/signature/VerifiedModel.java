package dev.satchel.verifier.signature;

import java.nio.file.Path;
import java.util.List;

/**
 * A model whose signature verified: every file was re-hashed and matched, and the signer is
 * trusted. Only {@link ModelSignatureVerifier} creates these. Immutable.
 *
 * <p>Guarantees the files matched at the time they were hashed; a later change on disk is not
 * detected (verify what you then load, or load from a location only the verifier writes). Files
 * under the signed {@code ignore_paths} ({@link Serialization#ignorePaths()}) are not covered:
 * load only the files named in {@link #resources()}.
 */
public final class VerifiedModel {
    private final Path model;
    private final OmsStatement statement;
    private final PublicKeyInfo signer;
    private final String signerDescription;

    VerifiedModel(Path model, OmsStatement statement, PublicKeyInfo signer, String signerDescription) {
        this.model = model;
        this.statement = statement;
        this.signer = signer;
        this.signerDescription = signerDescription;
    }

    public Path model() {
        return model;
    }

    /** The signed root digest, lower-case hex. */
    public String rootDigest() {
        return statement.rootDigest();
    }

    public List<ResourceDigest> resources() {
        return statement.resources();
    }

    public Serialization serialization() {
        return statement.serialization();
    }

    /** The key that made the signature (for certificates: the leaf's key). */
    public PublicKeyInfo signer() {
        return signer;
    }

    /** How the signer is trusted, e.g. {@code key 3a1f... (listed)} or {@code certificate CN=ci, chained to CN=Org CA}. */
    public String signerDescription() {
        return signerDescription;
    }

    @Override
    public String toString() {
        return "verified " + model + ": " + statement.resources().size() + " resources, root sha256 "
                + statement.rootDigest() + ", signed by " + signerDescription;
    }
}
