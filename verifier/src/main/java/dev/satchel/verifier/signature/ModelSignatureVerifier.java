package dev.satchel.verifier.signature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies an OMS model signature: the bundle format, the signer against a {@link TrustConfig},
 * the DSSE signature over the exact PAE bytes, the in-toto Statement and predicate, the root
 * digest, and every file of the model against its signed digest. Immutable and thread-safe.
 *
 * <p>Checks run cheapest first: bundle, signer trust (revocation, validity, chain), signature,
 * statement, file set (missing, unlisted), then content hashes.
 */
public final class ModelSignatureVerifier {
    /** ExtendedKeyUsage id-kp-codeSigning (RFC 5280 4.2.1.12). */
    private static final String EKU_CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
    private static final int MAX_SIGNATURE_FILE = 16 << 20;

    private final TrustConfig trust;
    private final Clock clock;
    private final int threads;

    private ModelSignatureVerifier(TrustConfig trust, Clock clock, int threads) {
        this.trust = trust;
        this.clock = clock;
        this.threads = threads;
    }

    /** A verifier using the system clock and one hashing thread per processor. */
    public static ModelSignatureVerifier create(TrustConfig trust) {
        return new ModelSignatureVerifier(trust, Clock.systemUTC(), Runtime.getRuntime().availableProcessors());
    }

    /** The same verifier judging key and certificate validity at {@code clock}'s time. */
    public ModelSignatureVerifier withClock(Clock clock) {
        return new ModelSignatureVerifier(trust, clock, threads);
    }

    public ModelSignatureVerifier withThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        return new ModelSignatureVerifier(trust, clock, threads);
    }

    /**
     * Verifies the model at {@code model} (a directory or a single file) against the signature file.
     *
     * @throws ModelSignatureException with code UNSIGNED (no signature file), MALFORMED,
     *     UNSUPPORTED_ALGORITHM, UNTRUSTED_KEY, KEY_REVOKED, KEY_EXPIRED, BAD_SIGNATURE,
     *     DIGEST_MISMATCH, MISSING_FILE, UNLISTED_FILE or INVALID_MODEL_FILE
     * @throws IOException when the model cannot be read
     */
    public VerifiedModel verify(Path model, Path signatureFile) throws IOException, ModelSignatureException {
        return verify(model, signatureFile, null);
    }

    /**
     * For signers only: verifies like {@link #verify(Path, Path)} (bundle, trust, signature,
     * statement, root digest, file set and shard layout) but compares the signed digests with
     * {@code freshDigests}, which the caller has just computed with {@link ModelHasher}, instead of
     * hashing every file a second time. A device must use {@link #verify(Path, Path)}.
     */
    public VerifiedModel verifyAgainstFreshDigests(Path model, Path signatureFile, List<ResourceDigest> freshDigests)
            throws IOException, ModelSignatureException {
        if (freshDigests == null) {
            throw new IllegalArgumentException("freshDigests must not be null");
        }
        return verify(model, signatureFile, freshDigests);
    }

    private VerifiedModel verify(Path model, Path signatureFile, List<ResourceDigest> freshDigests)
            throws IOException, ModelSignatureException {
        byte[] json;
        try {
            if (Files.size(signatureFile) > MAX_SIGNATURE_FILE) {
                throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                        "signature file " + signatureFile + " is larger than " + MAX_SIGNATURE_FILE + " bytes");
            }
            json = Files.readAllBytes(signatureFile);
        } catch (NoSuchFileException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNSIGNED,
                    "no signature file at " + signatureFile, ex);
        }
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString());
        }
        Signed signed = verifySignature(OmsBundle.parse(json));
        checkFiles(model, signatureFile, signed.statement, freshDigests);
        return new VerifiedModel(model, signed.statement, signed.signer, signed.description);
    }

    /**
     * Verifies the bundle's signature and statement only, without looking at model files.
     * Returns the signed statement.
     */
    public OmsStatement verifyStatement(OmsBundle bundle) throws ModelSignatureException {
        return verifySignature(bundle).statement;
    }

    private static final class Signed {
        final OmsStatement statement;
        final PublicKeyInfo signer;
        final String description;

        Signed(OmsStatement statement, PublicKeyInfo signer, String description) {
            this.statement = statement;
            this.signer = signer;
            this.description = description;
        }
    }

    private Signed verifySignature(OmsBundle bundle) throws ModelSignatureException {
        if (!Dsse.IN_TOTO_PAYLOAD_TYPE.equals(bundle.payloadType())) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    "signature file /dsseEnvelope/payloadType: expected " + Dsse.IN_TOTO_PAYLOAD_TYPE + ", got "
                            + bundle.payloadType());
        }
        byte[] pae = bundle.pae();
        byte[] sig = bundle.signature();
        PublicKeyInfo signer;
        String description;
        if (bundle.certificates().isEmpty()) {
            TrustedKey key = keyFor(bundle, pae, sig);
            signer = key.key();
            description = signer + (key.endorsedBy() == null ? " (listed)" : " (endorsed by rotation from " + key.endorsedBy() + ")");
        } else {
            X509Certificate leaf = checkChain(bundle.certificates());
            signer = PublicKeyInfo.of(leaf.getPublicKey());
            description = "certificate " + leaf.getSubjectX500Principal().getName() + " (" + signer + ")";
        }
        if (!signer.verify(pae, sig)) {
            throw new ModelSignatureException(ModelSignatureException.Code.BAD_SIGNATURE,
                    "signature file /dsseEnvelope/signatures/0/sig: does not verify over the DSSE PAE (" + pae.length
                            + " bytes) with " + signer);
        }
        return new Signed(OmsStatement.parse(bundle.payload()), signer, description);
    }

    private TrustedKey keyFor(OmsBundle bundle, byte[] pae, byte[] sig) throws ModelSignatureException {
        String hint = bundle.publicKeyHint();
        if (hint != null) {
            checkNotRevoked(hint);
            TrustedKey key = trust.keys().get(hint);
            if (key == null) {
                throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                        "signature file /verificationMaterial/publicKey/hint: signed by key " + hint
                                + ", expected one of the trusted keys " + trust.keys().keySet());
            }
            checkValidity(key);
            return key;
        }
        // Legacy bundles (model_signing < 1.1) carry no hint: try every trusted key.
        for (TrustedKey key : trust.keys().values()) {
            if (key.key().verify(pae, sig)) {
                checkValidity(key);
                return key;
            }
        }
        throw new ModelSignatureException(trust.keys().isEmpty() ? ModelSignatureException.Code.UNTRUSTED_KEY
                : ModelSignatureException.Code.BAD_SIGNATURE,
                "signature file has no key hint and the signature verifies with none of the " + trust.keys().size()
                        + " trusted keys");
    }

    private void checkNotRevoked(String keyId) throws ModelSignatureException {
        String reason = trust.revoked().get(keyId);
        if (reason != null) {
            throw new ModelSignatureException(ModelSignatureException.Code.KEY_REVOKED,
                    "signing key " + keyId + " is revoked: " + reason);
        }
    }

    private void checkValidity(TrustedKey key) throws ModelSignatureException {
        Instant now = clock.instant();
        if (!key.validAt(now)) {
            throw new ModelSignatureException(ModelSignatureException.Code.KEY_EXPIRED,
                    "signing key " + key.key().keyId() + " is valid from " + (key.notBefore() == null ? "-" : key.notBefore())
                            + " to " + (key.notAfter() == null ? "-" : key.notAfter()) + ", now is " + now);
        }
    }

    private X509Certificate checkChain(List<byte[]> ders) throws ModelSignatureException {
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < ders.size(); i++) {
            chain.add(TrustConfig.certificate(ders.get(i),
                    "signature file /verificationMaterial/x509CertificateChain/certificates/" + i));
        }
        X509Certificate leaf = chain.get(0);
        Date now = Date.from(clock.instant());
        for (X509Certificate c : chain) {
            checkNotRevoked(PublicKeyInfo.of(c.getPublicKey()).keyId());
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException | CertificateNotYetValidException ex) {
                throw new ModelSignatureException(ModelSignatureException.Code.KEY_EXPIRED,
                        "certificate " + c.getSubjectX500Principal().getName() + " is valid from " + c.getNotBefore().toInstant()
                                + " to " + c.getNotAfter().toInstant() + ", now is " + now.toInstant(), ex);
            }
        }
        boolean[] ku = leaf.getKeyUsage();
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED, "leaf certificate: bad extended key usage", ex);
        }
        boolean digitalSignature = ku != null && ku.length > 0 && ku[0];
        boolean codeSigning = eku != null && eku.contains(EKU_CODE_SIGNING);
        if (!digitalSignature && !codeSigning) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                    "certificate " + leaf.getSubjectX500Principal().getName()
                            + ": key usage expected digitalSignature or extended key usage codeSigning, got neither");
        }
        if (trust.certificateAuthorities().isEmpty()) {
            PublicKeyInfo leafKey = PublicKeyInfo.of(leaf.getPublicKey());
            TrustedKey direct = trust.keys().get(leafKey.keyId());
            if (direct != null) {
                checkValidity(direct);
                return leaf;
            }
            throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                    "certificate " + leaf.getSubjectX500Principal().getName()
                            + ": no certificate authority is trusted and its key " + leafKey.keyId() + " is not a trusted key");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : trust.certificateAuthorities()) {
            anchors.add(new TrustAnchor(ca, null));
        }
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && trust.certificateAuthorities().contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1); // the root may be included; PKIX wants it as anchor only
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(now);
            java.security.cert.PKIXCertPathValidatorResult result =
                    (java.security.cert.PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, params);
            // A revoked root key withdraws everything issued under it.
            checkNotRevoked(PublicKeyInfo.of(result.getTrustAnchor().getTrustedCert().getPublicKey()).keyId());
        } catch (CertPathValidatorException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                    "certificate " + leaf.getSubjectX500Principal().getName() + " does not chain to a trusted authority "
                            + names(trust.certificateAuthorities()) + ": " + ex.getMessage(), ex);
        } catch (GeneralSecurityException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                    "certificate chain cannot be validated: " + ex.getMessage(), ex);
        }
        return leaf;
    }

    private static List<String> names(List<X509Certificate> certs) {
        List<String> out = new ArrayList<>();
        for (X509Certificate c : certs) {
            out.add(c.getSubjectX500Principal().getName());
        }
        return out;
    }

    // ------------------------------------------------------------------ files

    private void checkFiles(Path model, Path signatureFile, OmsStatement st, List<ResourceDigest> freshDigests)
            throws IOException, ModelSignatureException {
        Serialization ser = st.serialization();
        List<ModelFile> files = ModelFiles.list(model, ser.ignorePaths(), ser.allowSymlinks(), signatureFile);
        // A single-file model is "." for the reference implementation and its base name for the spec.
        if (files.size() == 1 && ".".equals(files.get(0).name()) && !Files.isDirectory(model)) {
            String base = model.getFileName().toString();
            boolean usesBase = false;
            for (ResourceDigest r : st.resources()) {
                String path = ser.sharded() ? ShardName.parse(r.name(), "").path() : r.name();
                usesBase |= path.equals(base);
            }
            if (usesBase) {
                files = List.of(new ModelFile(base, files.get(0).path(), files.get(0).size()));
            }
        }
        Map<String, ModelFile> actual = new LinkedHashMap<>();
        for (ModelFile f : files) {
            actual.put(f.name(), f);
        }
        Map<String, List<ShardName>> signedShards = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (ResourceDigest r : st.resources()) {
            expected.put(r.name(), r.digest());
            if (ser.sharded()) {
                ShardName s = ShardName.parse(r.name(), "");
                signedShards.computeIfAbsent(s.path(), k -> new ArrayList<>()).add(s);
            }
        }
        Set<String> signedPaths = ser.sharded() ? signedShards.keySet() : expected.keySet();
        TreeSet<String> missing = new TreeSet<>(ModelFiles.NAME_ORDER);
        for (String p : signedPaths) {
            if (!actual.containsKey(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelSignatureException(ModelSignatureException.Code.MISSING_FILE,
                    listed("signed file", missing) + " missing from " + model);
        }
        TreeSet<String> unlisted = new TreeSet<>(ModelFiles.NAME_ORDER);
        for (ModelFile f : files) {
            // In shard mode empty files have no resource (as in the reference implementation).
            if (!signedPaths.contains(f.name()) && !(ser.sharded() && f.size() == 0)) {
                unlisted.add(f.name());
            }
        }
        if (!unlisted.isEmpty()) {
            throw new ModelSignatureException(ModelSignatureException.Code.UNLISTED_FILE,
                    listed("file", unlisted) + " in " + model + " not covered by the signature");
        }
        if (ser.sharded()) {
            for (Map.Entry<String, List<ShardName>> e : signedShards.entrySet()) {
                long size = actual.get(e.getKey()).size();
                Set<String> want = new HashSet<>();
                for (long s = 0; s < size; s += ser.shardSize()) {
                    want.add(ShardName.format(e.getKey(), s, Math.min(size, s + ser.shardSize())));
                }
                Set<String> got = new HashSet<>();
                long covered = 0;
                for (ShardName s : e.getValue()) {
                    got.add(ShardName.format(s.path(), s.start(), s.end()));
                    covered = Math.max(covered, s.end());
                }
                if (!want.equals(got)) {
                    throw new ModelSignatureException(ModelSignatureException.Code.DIGEST_MISMATCH,
                            "'" + e.getKey() + "': size expected " + covered + " bytes (as signed in shards of " + ser.shardSize()
                                    + "), got " + size);
                }
            }
        }
        List<ResourceDigest> hashed = freshDigests != null ? freshDigests : ModelHasher.hash(files, ser, threads);
        if (freshDigests != null && freshDigests.size() != expected.size()) {
            throw new ModelSignatureException(ModelSignatureException.Code.DIGEST_MISMATCH,
                    "signed " + expected.size() + " resources, freshly hashed " + freshDigests.size());
        }
        List<String> mismatches = new ArrayList<>();
        for (ResourceDigest h : hashed) {
            String want = expected.get(h.name());
            if (want == null) {
                throw new ModelSignatureException(ModelSignatureException.Code.UNLISTED_FILE,
                        "'" + h.name() + "' was hashed but is not in the signature");
            }
            if (!want.equals(h.digest())) {
                // A single-file model's lone resource is named "." (OMS, as the Python tools write it).
                mismatches.add("'" + (h.name().equals(".") ? String.valueOf(model.getFileName()) : h.name())
                        + "': sha256 expected " + want + ", got " + h.digest());
            }
        }
        if (!mismatches.isEmpty()) {
            throw new ModelSignatureException(ModelSignatureException.Code.DIGEST_MISMATCH,
                    mismatches.get(0) + (mismatches.size() > 1 ? " (and " + (mismatches.size() - 1) + " more)" : ""));
        }
    }

    private static String listed(String what, Set<String> names) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (String s : names) {
            if (n == 3) {
                sb.append(", ... (").append(names.size()).append(" in all)");
                break;
            }
            sb.append(n == 0 ? "" : ", ").append('\'').append(s).append('\'');
            n++;
        }
        return what + (names.size() > 1 ? "s " : " ") + sb + (names.size() > 1 ? " are" : " is");
    }
}
