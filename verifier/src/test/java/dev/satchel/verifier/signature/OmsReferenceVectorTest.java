package dev.satchel.verifier.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Python reference implementation's v1.1.0 key bundle, read by our verifier code. */
class OmsReferenceVectorTest {
    static final Path DIR = Paths.get("src/test/resources/oms/v1.1.0-elliptic-key");

    @Test
    void parse_referenceBundle_statementAndRootDigestAsSigned() throws Exception {
        OmsBundle b = OmsBundle.parse(Files.readAllBytes(DIR.resolve("model.sig")));
        assertEquals("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e", b.publicKeyHint());
        OmsStatement st = OmsStatement.parse(b.payload());
        assertEquals("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4", st.rootDigest());
        assertEquals("v1.1.0-elliptic-key", st.subjectName());
        assertEquals(List.of(".git", "model.sig", "ignore-me", ".gitattributes", ".gitignore", ".github"),
                st.serialization().ignorePaths());
        assertEquals(96 + 7, b.signature().length, "P-384 DER signature");
    }

    @Test
    void hash_referenceModel_ourHasherProducesTheSignedManifest() throws Exception {
        OmsStatement st = OmsStatement.parse(OmsBundle.parse(Files.readAllBytes(DIR.resolve("model.sig"))).payload());
        List<ModelFile> files = ModelFiles.list(DIR, st.serialization().ignorePaths(), false, DIR.resolve("model.sig"));
        List<ResourceDigest> ours = ModelHasher.hash(files, st.serialization(), 2);
        assertEquals(st.resources(), ours);
        assertEquals(st.rootDigest(), OmsStatement.rootDigest(ours));
    }

    @Test
    void verify_referenceBundleWithOtherKey_isUntrustedNamingTheHint() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        ModelSignatureVerifier v = ModelSignatureVerifier.create(TrustConfig.ofPublicKey(PublicKeyInfo.of(g.generateKeyPair().getPublic())));
        ModelSignatureException ex = assertThrows(ModelSignatureException.class, () -> v.verify(DIR, DIR.resolve("model.sig")));
        assertEquals(ModelSignatureException.Code.UNTRUSTED_KEY, ex.code());
        assertTrue(ex.getMessage().contains("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e"), ex.getMessage());
    }

    @Test
    void pae_dsseSpecExample() {
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("DSSEv1 29 http://example.com/HelloWorld 11 hello world", new String(pae, java.nio.charset.StandardCharsets.UTF_8));
        byte[] utf8 = Dsse.pae("t", "\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(Arrays.equals("DSSEv1 1 t 2 \u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8), utf8), "byte lengths");
    }
}
