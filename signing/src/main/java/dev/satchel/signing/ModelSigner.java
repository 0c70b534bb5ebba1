package dev.satchel.signing;

import dev.satchel.verifier.signature.Dsse;
import dev.satchel.verifier.signature.ModelFile;
import dev.satchel.verifier.signature.ModelFiles;
import dev.satchel.verifier.signature.ModelHasher;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.OmsStatement;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.Serialization;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.signature.VerifiedModel;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs a model in the OpenSSF Model Signing (OMS) format: hashes its files, builds the in-toto
 * Statement, signs the DSSE PAE, writes the Sigstore bundle atomically, then re-verifies the written
 * file with the device verifier ({@link ModelSignatureVerifier}) before reporting success: bundle,
 * key, signature over the PAE, statement, root digest, file set, and the signed digests against the
 * ones just computed (or, with {@link SignOptions#rehashOnSelfCheck()}, against a second hashing
 * pass). Stateless.
 *
 * <p>Output choices (docs/signing.md): whole-file SHA-256 by default; resources ordered by path
 * components; single-file models named {@code "."}; the signature file and the git paths are
 * recorded in {@code ignore_paths}.
 */
public final class ModelSigner {
    /** Conventional signature file name inside a model directory. */
    public static final String SIGNATURE_FILE = "model.sig";

    private ModelSigner() {}

    /** {@code DIR/model.sig} for a directory, {@code FILE.sig} next to a file. */
    public static Path defaultSignaturePath(Path model) {
        if (Files.isDirectory(model)) {
            return model.resolve(SIGNATURE_FILE);
        }
        Path name = model.getFileName();
        return model.resolveSibling((name == null ? "model" : name.toString()) + ".sig");
    }

    /**
     * Signs and self-checks.
     *
     * @throws SigningException {@code MODEL_INVALID} (empty model, symlink, special file, ':' in a
     *     name with sharding), {@code TOKEN_ERROR}, {@code SELF_CHECK_FAILED}
     * @throws IOException when the model cannot be read or the signature not written
     */
    public static SignResult sign(SigningKey key, SignOptions options) throws SigningException, IOException {
        Path model = options.model();
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString());
        }
        Path sig = options.signature();
        List<String> ignores = new ArrayList<>(options.ignorePaths());
        Path root = model.toAbsolutePath().normalize();
        Path sigAbs = sig.toAbsolutePath().normalize();
        if (Files.isDirectory(model) && sigAbs.startsWith(root) && !sigAbs.equals(root)) {
            String rel = root.relativize(sigAbs).toString().replace('\\', '/');
            if (!ignores.contains(rel)) {
                ignores.add(rel);
            }
        }
        Serialization ser = options.sharded() ? Serialization.shards(options.shardSize(), ignores) : Serialization.files(ignores);
        List<ModelFile> files;
        try {
            files = ModelFiles.list(model, ser.ignorePaths(), false, sig);
        } catch (ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.MODEL_INVALID, ex.detail(), ex);
        }
        if (files.isEmpty()) {
            throw new SigningException(SigningException.Code.MODEL_INVALID,
                    model + ": no files to sign after ignoring " + ser.ignorePaths() + " (OMS spec 6.1: an empty model is rejected)");
        }
        if (ser.sharded()) {
            for (ModelFile f : files) {
                if (f.name().indexOf(':') >= 0) {
                    throw new SigningException(SigningException.Code.MODEL_INVALID,
                            "'" + f.name() + "': a ':' in a file name is ambiguous in shard names (path:start:end); use whole-file hashing");
                }
            }
            boolean anyData = files.stream().anyMatch(f -> f.size() > 0);
            if (!anyData) {
                throw new SigningException(SigningException.Code.MODEL_INVALID,
                        model + ": every file is empty, and shard mode records no resource for empty files");
            }
        }
        List<ResourceDigest> digests = ModelHasher.hash(files, ser, options.threads());
        OmsStatement statement = OmsStatement.of(subjectName(model), digests, ser);
        byte[] payload = statement.toJson();
        byte[] signature = key.sign(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
        OmsBundle bundle;
        if (key.certificateChain().isEmpty()) {
            bundle = OmsBundle.forKey(key.publicKey().keyId(), payload, signature);
        } else {
            List<byte[]> ders = new ArrayList<>();
            for (X509Certificate c : key.certificateChain()) {
                try {
                    ders.add(c.getEncoded());
                } catch (CertificateEncodingException ex) {
                    throw new SigningException(SigningException.Code.KEY_INVALID, "cannot encode certificate: " + ex.getMessage(), ex);
                }
            }
            bundle = OmsBundle.forCertificates(ders, payload, signature);
        }
        writeAtomically(sig, bundle.toJson());
        VerifiedModel verified;
        try {
            ModelSignatureVerifier verifier = ModelSignatureVerifier.create(TrustConfig.ofPublicKey(key.publicKey()))
                    .withThreads(options.threads());
            verified = options.rehashOnSelfCheck() ? verifier.verify(model, sig)
                    : verifier.verifyAgainstFreshDigests(model, sig, digests);
        } catch (ModelSignatureException ex) {
            Files.deleteIfExists(sig);
            throw new SigningException(SigningException.Code.SELF_CHECK_FAILED,
                    "the signature just written does not verify, so it was removed: " + ex.getMessage(), ex);
        }
        return new SignResult(sig, verified);
    }

    private static String subjectName(Path model) {
        Path name = model.toAbsolutePath().normalize().getFileName();
        return name == null ? "model" : name.toString();
    }

    /** Writes to a temporary file in the same directory, then renames it over the target. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException ex) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
