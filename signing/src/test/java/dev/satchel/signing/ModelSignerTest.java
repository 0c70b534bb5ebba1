package dev.satchel.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.ModelSignatureException.Code;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.TrustConfig;
import dev.satchel.verifier.signature.VerifiedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelSignerTest {
    @TempDir
    Path tmp;

    Path model;
    KeyPair pair;
    SigningKey key;

    @BeforeEach
    void setUp() throws Exception {
        model = TestModels.model(tmp);
        pair = KeyFiles.generate(KeyAlgorithm.ECDSA_P256);
        key = KeyFiles.signingKey(pair, "test");
    }

    private ModelSignatureVerifier verifierFor(SigningKey k) {
        return ModelSignatureVerifier.create(TrustConfig.ofPublicKey(k.publicKey()));
    }

    private Code failure(ModelSignatureVerifier v, Path m, Path sig) {
        return assertThrows(ModelSignatureException.class, () -> v.verify(m, sig)).code();
    }

    @Test
    void sign_directory_writesVerifiableBundleWithExpectedResources() throws Exception {
        SignResult r = ModelSigner.sign(key, SignOptions.of(model));
        assertEquals(model.resolve("model.sig"), r.signature());
        List<String> names = r.verified().resources().stream().map(ResourceDigest::name).collect(Collectors.toList());
        assertEquals(List.of("config.json", "empty.txt", "model.onnx", "sub/weights.bin"), names);
        String onnxDigest = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model.resolve("model.onnx"))));
        assertEquals(onnxDigest, r.verified().resources().get(2).digest());
        VerifiedModel v = verifierFor(key).verify(model, r.signature());
        assertEquals(r.verified().rootDigest(), v.rootDigest());
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(r.signature()));
        assertEquals(key.publicKey().keyId(), b.publicKeyHint());
        Map<?, ?> ser = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(b.payload())).get("predicate")).get("serialization");
        assertTrue(((List<?>) ser.get("ignore_paths")).containsAll(List.of("model.sig", ".git")), ser.toString());
        assertFalse(Files.list(model).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
    }

    @Test
    void sign_twice_producesIdenticalPayload() throws Exception {
        byte[] a = OmsBundle.parse(Files.readAllBytes(ModelSigner.sign(key, SignOptions.of(model)).signature())).payload();
        byte[] b = OmsBundle.parse(Files.readAllBytes(ModelSigner.sign(key, SignOptions.of(model)).signature())).payload();
        assertArrayEquals(a, b);
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"ECDSA_P256", "ECDSA_P384", "ED25519"})
    void sign_eachAlgorithm_verifies(KeyAlgorithm alg) throws Exception {
        SigningKey k = KeyFiles.signingKey(KeyFiles.generate(alg), alg.id());
        SignResult r = ModelSigner.sign(k, SignOptions.of(model));
        assertEquals(alg, verifierFor(k).verify(model, r.signature()).signer().algorithm());
    }

    @Test
    void sign_singleFile_namesResourceDotAndDefaultsToSiblingSig() throws Exception {
        Path file = model.resolve("model.onnx");
        SignResult r = ModelSigner.sign(key, SignOptions.of(file));
        assertEquals(model.resolve("model.onnx.sig"), r.signature());
        assertEquals(List.of("."), r.verified().resources().stream().map(ResourceDigest::name).collect(Collectors.toList()));
        Files.write(file, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Code.DIGEST_MISMATCH, failure(verifierFor(key), file, r.signature()));
    }

    @Test
    void sign_emptyModel_isRejected() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.createDirectories(empty.resolve(".git"));
        Files.writeString(empty.resolve(".git/config"), "x");
        SigningException ex = assertThrows(SigningException.class, () -> ModelSigner.sign(key, SignOptions.of(empty)));
        assertEquals(SigningException.Code.MODEL_INVALID, ex.code());
        assertFalse(Files.exists(empty.resolve("model.sig")));
    }

    // ---------------------------------------------------------------- every failure code

    @Test
    void verify_noSignatureFile_isUnsigned() {
        assertEquals(Code.UNSIGNED, failure(verifierFor(key), model, model.resolve("model.sig")));
    }

    @Test
    void verify_envelopeWithoutSignatures_isUnsigned() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        String json = Files.readString(sig);
        String stripped = json.replaceAll("(?s)\"signatures\": \\[.*?\\]", "\"signatures\": []");
        Files.writeString(sig, stripped);
        assertEquals(Code.UNSIGNED, failure(verifierFor(key), model, sig));
    }

    @Test
    void verify_otherKey_isUntrustedKey() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        SigningKey other = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "other");
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(other).verify(model, sig));
        assertEquals(Code.UNTRUSTED_KEY, ex.code());
        assertTrue(ex.getMessage().contains(key.publicKey().keyId()), ex.getMessage());
    }

    @Test
    void verify_payloadChangedByOneByte_isBadSignature() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        Files.write(sig, tamperPayload(Files.readAllBytes(sig)));
        assertEquals(Code.BAD_SIGNATURE, failure(verifierFor(key), model, sig));
    }

    /** Flips one byte inside the signed payload (a digit of the first resource digest) and re-encodes it. */
    static byte[] tamperPayload(byte[] bundleJson) throws Exception {
        Map<?, ?> root = (Map<?, ?>) Json.parse(bundleJson);
        String b64 = (String) ((Map<?, ?>) root.get("dsseEnvelope")).get("payload");
        byte[] payload = Base64.getDecoder().decode(b64);
        String text = new String(payload, StandardCharsets.UTF_8);
        int at = text.indexOf("\"digest\": \"") + 11;
        payload[at] = (byte) (payload[at] == '0' ? '1' : '0');
        String replaced = new String(bundleJson, StandardCharsets.UTF_8).replace(b64, Base64.getEncoder().encodeToString(payload));
        return replaced.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verify_fileChanged_isDigestMismatchNamingFileAndDigests() throws Exception {
        SignResult r = ModelSigner.sign(key, SignOptions.of(model));
        byte[] b = Files.readAllBytes(model.resolve("sub/weights.bin"));
        b[100] ^= 1;
        Files.write(model.resolve("sub/weights.bin"), b);
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, r.signature()));
        assertEquals(Code.DIGEST_MISMATCH, ex.code());
        assertTrue(ex.getMessage().startsWith("DIGEST_MISMATCH: 'sub/weights.bin': sha256 expected "
                + r.verified().resources().get(3).digest() + ", got "), ex.getMessage());
    }

    @Test
    void verify_fileDeleted_isMissingFile() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        Files.delete(model.resolve("config.json"));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, sig));
        assertEquals(Code.MISSING_FILE, ex.code());
        assertTrue(ex.getMessage().contains("'config.json'"), ex.getMessage());
    }

    @Test
    void verify_fileAdded_isUnlistedFile() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        Files.writeString(model.resolve("sub/extra.txt"), "not signed");
        Files.writeString(model.resolve(".git/ORIG_HEAD"), "ignored, as .git is");
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, sig));
        assertEquals(Code.UNLISTED_FILE, ex.code());
        assertTrue(ex.getMessage().contains("'sub/extra.txt'"), ex.getMessage());
    }

    @Test
    void verify_fileRenamed_isMissingFile() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        Files.move(model.resolve("config.json"), model.resolve("config2.json"));
        assertEquals(Code.MISSING_FILE, failure(verifierFor(key), model, sig));
    }

    @Test
    void verify_symlinkAdded_isInvalidModelFile() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        Files.createSymbolicLink(model.resolve("link.onnx"), model.resolve("model.onnx"));
        assertEquals(Code.INVALID_MODEL_FILE, failure(verifierFor(key), model, sig));
    }

    @Test
    void verify_truncatedOrWrongMediaType_isMalformed() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        String json = Files.readString(sig);
        Files.writeString(sig, json.substring(0, json.length() / 2));
        assertEquals(Code.MALFORMED, failure(verifierFor(key), model, sig));
        Files.writeString(sig, json.replace("bundle.v0.3+json", "bundle.v0.2+json"));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, sig));
        assertEquals(Code.MALFORMED, ex.code());
        assertTrue(ex.getMessage().contains("/mediaType: expected application/vnd.dev.sigstore.bundle.v0.3+json, got"), ex.getMessage());
    }

    @Test
    void verify_signedUnsupportedHashType_isUnsupportedAlgorithm() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(sig));
        byte[] payload = new String(b.payload(), StandardCharsets.UTF_8)
                .replace("\"hash_type\": \"sha256\"", "\"hash_type\": \"blake3\"").getBytes(StandardCharsets.UTF_8);
        byte[] resigned = key.sign(dev.satchel.verifier.signature.Dsse.pae(b.payloadType(), payload));
        Files.write(sig, OmsBundle.forKey(key.publicKey().keyId(), payload, resigned).toJson());
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, sig));
        assertEquals(Code.UNSUPPORTED_ALGORITHM, ex.code());
        assertTrue(ex.getMessage().contains("hash_type: only sha256 is supported, got 'blake3'"), ex.getMessage());
    }

    @Test
    void trust_rsaKey_isUnsupportedAlgorithm() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        ModelSignatureException ex = assertThrows(ModelSignatureException.class,
                () -> PublicKeyInfo.of(g.generateKeyPair().getPublic()));
        assertEquals(Code.UNSUPPORTED_ALGORITHM, ex.code());
    }

    @Test
    void verify_p1363Signature_isBadSignature() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(sig));
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(pair.getPrivate());
        s.update(b.pae());
        Files.write(sig, OmsBundle.forKey(key.publicKey().keyId(), b.payload(), s.sign()).toJson());
        assertEquals(Code.BAD_SIGNATURE, failure(verifierFor(key), model, sig));
    }

    // ---------------------------------------------------------------- keys on disk

    @Test
    void keyFiles_writeKeyPair_mode0600AndPassphraseRoundTrip() throws Exception {
        Path prefix = tmp.resolve("ci");
        char[] pass = "correct horse".toCharArray();
        PublicKeyInfo pub = KeyFiles.writeKeyPair(KeyFiles.generate(KeyAlgorithm.ECDSA_P384), prefix, pass);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("ci.key"))));
        assertTrue(Files.readString(tmp.resolve("ci.key")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertEquals(pub, KeyFiles.readPublicKey(tmp.resolve("ci.pub")));
        assertEquals(pub, KeyFiles.readPrivateKey(tmp.resolve("ci.key"), pass).publicKey());
        SigningException wrong = assertThrows(SigningException.class,
                () -> KeyFiles.readPrivateKey(tmp.resolve("ci.key"), "wrong".toCharArray()));
        assertEquals(SigningException.Code.KEY_INVALID, wrong.code());
        SigningException none = assertThrows(SigningException.class, () -> KeyFiles.readPrivateKey(tmp.resolve("ci.key"), null));
        assertEquals(SigningException.Code.KEY_INVALID, none.code());
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> KeyFiles.writeKeyPair(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), prefix, null));
    }

    @Test
    void keyFiles_ed25519Unencrypted_roundTrip() throws Exception {
        PublicKeyInfo pub = KeyFiles.writeKeyPair(KeyFiles.generate(KeyAlgorithm.ED25519), tmp.resolve("ed"), null);
        SigningKey k = KeyFiles.readPrivateKey(tmp.resolve("ed.key"), null);
        assertEquals(pub, k.publicKey());
        assertEquals(KeyAlgorithm.ED25519, verifierFor(k).verify(model, ModelSigner.sign(k, SignOptions.of(model)).signature())
                .signer().algorithm());
    }

    // ---------------------------------------------------------------- sharded

    @Test
    void sign_sharded_verifiesAndDetectsChangeAndResize() throws Exception {
        SignResult r = ModelSigner.sign(key, SignOptions.of(model).withSharding(1000));
        List<String> names = r.verified().resources().stream().map(ResourceDigest::name).collect(Collectors.toList());
        assertTrue(names.contains("model.onnx:4000:5000"), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.startsWith("empty.txt")), "empty files have no shard");
        assertEquals("sha256-sharded-1000", r.verified().resources().get(0).algorithm());
        verifierFor(key).verify(model, r.signature());
        byte[] b = Files.readAllBytes(model.resolve("model.onnx"));
        b[4500] ^= 1;
        Files.write(model.resolve("model.onnx"), b);
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> verifierFor(key).verify(model, r.signature()));
        assertEquals(Code.DIGEST_MISMATCH, ex.code());
        assertTrue(ex.getMessage().contains("'model.onnx:4000:5000'"), ex.getMessage());
        Files.write(model.resolve("model.onnx"), new byte[10], java.nio.file.StandardOpenOption.APPEND);
        assertEquals(Code.DIGEST_MISMATCH, failure(verifierFor(key), model, r.signature()));
    }

    @Test
    void sign_shardedWithColonInName_isRejected() throws Exception {
        Files.writeString(model.resolve("a:b.txt"), "x");
        SigningException ex = assertThrows(SigningException.class, () -> ModelSigner.sign(key, SignOptions.of(model).withSharding(1000)));
        assertEquals(SigningException.Code.MODEL_INVALID, ex.code());
    }

    // ---------------------------------------------------------------- self-check and legacy shapes

    @Test
    void selfCheck_againstWrongFreshDigests_fails_andRehashModeSigns() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        List<ResourceDigest> wrong = new java.util.ArrayList<>(verifierFor(key).verify(model, sig).resources());
        wrong.set(0, ResourceDigest.of(wrong.get(0).name(), "sha256", "00".repeat(32)));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class,
                () -> verifierFor(key).verifyAgainstFreshDigests(model, sig, wrong));
        assertEquals(Code.DIGEST_MISMATCH, ex.code());
        SignResult full = ModelSigner.sign(key, SignOptions.of(model).withRehashOnSelfCheck());
        assertEquals(4, full.verified().resources().size());
    }

    @Test
    void verify_legacyBundleWithoutHintOrKeyid_triesTrustedKeys() throws Exception {
        Path sig = ModelSigner.sign(key, SignOptions.of(model)).signature();
        String json = Files.readString(sig)
                .replaceAll("\"hint\": \"[0-9a-f]{64}\"", "\"hint\": \"\"")
                .replaceAll(",\\s*\"keyid\": \"\"", "");
        assertFalse(json.contains("keyid"), json);
        Files.writeString(sig, json);
        verifierFor(key).verify(model, sig);
        SigningKey other = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "other");
        assertEquals(Code.BAD_SIGNATURE, failure(verifierFor(other), model, sig));
    }

    @Test
    void verify_hugeSignatureFile_isMalformedWithoutReadingIt() throws Exception {
        Path sig = model.resolve("model.sig");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(sig,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), (16L << 20) + 1);
        }
        assertEquals(Code.MALFORMED, failure(verifierFor(key), model, sig));
    }

    @Test
    void sign_ignorePathWithSlashes_leavesSubtreeOutAndVerifierReappliesIt() throws Exception {
        SignResult r = ModelSigner.sign(key, SignOptions.of(model).withIgnorePaths(List.of("./sub/")));
        assertEquals(List.of("config.json", "empty.txt", "model.onnx"),
                r.verified().resources().stream().map(ResourceDigest::name).collect(Collectors.toList()));
        Files.writeString(model.resolve("sub/new.bin"), "ignored too");
        verifierFor(key).verify(model, r.signature());
    }
}
