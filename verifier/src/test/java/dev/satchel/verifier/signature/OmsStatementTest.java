package dev.satchel.verifier.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Hostile and odd signed payloads: one case per attack, each with its code and message. */
class OmsStatementTest {
    static final String D1 = "bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc";
    static final String D2 = "32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028";

    static String statement(String subjects, String resources, String serialization) {
        return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + subjects
                + ",\"predicateType\":\"https://model_signing/signature/v1.0\",\"predicate\":{\"resources\":" + resources
                + ",\"serialization\":" + serialization + "}}";
    }

    static String root(String... digests) {
        List<ResourceDigest> rs = new java.util.ArrayList<>();
        for (String d : digests) {
            rs.add(ResourceDigest.of("x" + rs.size(), "sha256", d));
        }
        return OmsStatement.rootDigest(rs);
    }

    static String subject(String rootHex) {
        return "[{\"name\":\"m\",\"digest\":{\"sha256\":\"" + rootHex + "\"}}]";
    }

    static final String FILES = "{\"method\":\"files\",\"hash_type\":\"sha256\",\"allow_symlinks\":false}";

    static String res(String name, String digest) {
        return "{\"name\":\"" + name + "\",\"algorithm\":\"sha256\",\"digest\":\"" + digest + "\"}";
    }

    static ModelSignatureException fail(String json) {
        return assertThrows(ModelSignatureException.class, () -> OmsStatement.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parse_valid_keepsOrderAndIgnoresUnknownPredicateFields() throws Exception {
        String json = statement(subject(root(D1, D2)), "[" + res("b", D1) + "," + res("a/c", D2) + "]", FILES)
                .replace("\"resources\"", "\"modelCard\":{\"x\":1},\"resources\"");
        OmsStatement st = OmsStatement.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals("b", st.resources().get(0).name());
        assertEquals(2, st.resources().size());
    }

    @Test
    void parse_twoSubjects_isMalformed() {
        String s = subject(root(D1)).replace("]", ",{\"name\":\"n\",\"digest\":{\"sha256\":\"" + D1 + "\"}}]");
        ModelSignatureException ex = fail(statement(s, "[" + res("a", D1) + "]", FILES));
        assertEquals(ModelSignatureException.Code.MALFORMED, ex.code());
        assertTrue(ex.getMessage().contains("expected exactly one subject, got 2"), ex.getMessage());
    }

    @Test
    void parse_rootDigestOff_isDigestMismatch() {
        String wrong = root(D1).replace(root(D1).charAt(0), root(D1).charAt(0) == 'a' ? 'b' : 'a');
        ModelSignatureException ex = fail(statement(subject(wrong), "[" + res("a", D1) + "]", FILES));
        assertEquals(ModelSignatureException.Code.DIGEST_MISMATCH, ex.code());
    }

    @ParameterizedTest
    @CsvSource({"../etc/passwd", "/abs", "a//b", "./a", "a/./b", "a\\\\b"})
    void parse_badNames_areMalformed(String name) {
        ModelSignatureException ex = fail(statement(subject(root(D1)), "[" + res(name, D1) + "]", FILES));
        assertEquals(ModelSignatureException.Code.MALFORMED, ex.code(), ex.getMessage());
    }

    @Test
    void parse_duplicateNames_areMalformed() {
        ModelSignatureException ex = fail(statement(subject(root(D1, D1)), "[" + res("a", D1) + "," + res("a", D1) + "]", FILES));
        assertEquals(ModelSignatureException.Code.MALFORMED, ex.code());
        assertTrue(ex.getMessage().contains("duplicate resource 'a'"), ex.getMessage());
    }

    @Test
    void parse_legacyPredicateOrOtherMethod_isUnsupported() {
        String legacy = statement(subject(root(D1)), "[" + res("a", D1) + "]", FILES)
                .replace("https://model_signing/signature/v1.0", "https://model_signing/Digests/v0.1");
        assertEquals(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM, fail(legacy).code());
        String other = statement(subject(root(D1)), "[" + res("a", D1) + "]", FILES.replace("files", "tar"));
        assertEquals(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM, fail(other).code());
    }

    @Test
    void parse_otherStatementOrPredicateType_isMalformed() {
        String base = statement(subject(root(D1)), "[" + res("a", D1) + "]", FILES);
        assertEquals(ModelSignatureException.Code.MALFORMED, fail(base.replace("Statement/v1", "Statement/v0.1")).code());
        assertEquals(ModelSignatureException.Code.MALFORMED,
                fail(base.replace("https://model_signing/signature/v1.0", "https://slsa.dev/provenance/v1")).code());
    }

    @Test
    void parse_shardSizeAsDouble_isAcceptedAndNamesParsedFromTheRight() throws Exception {
        String shards = "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"allow_symlinks\":false,\"shard_size\":8.0}";
        String r = "{\"name\":\"we:ird:0:8\",\"algorithm\":\"sha256-sharded-8\",\"digest\":\"" + D1 + "\"}";
        OmsStatement st = OmsStatement.parse(statement(subject(root(D1)), "[" + r + "]", shards).getBytes(StandardCharsets.UTF_8));
        assertEquals(8, st.serialization().shardSize());
        assertEquals("we:ird", ShardName.parse(st.resources().get(0).name(), "").path());
        String bad = "{\"method\":\"shards\",\"hash_type\":\"sha256\",\"allow_symlinks\":false,\"shard_size\":8.5}";
        assertEquals(ModelSignatureException.Code.MALFORMED, fail(statement(subject(root(D1)), "[" + r + "]", bad)).code());
    }

    @Test
    void parse_emptyResources_isMalformed() {
        assertEquals(ModelSignatureException.Code.MALFORMED, fail(statement(subject(root(D1)), "[]", FILES)).code());
    }

    @Test
    void bundle_messageSignatureOrNoMaterial_isRejected() {
        String msg = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{\"hint\":\"x\"}},"
                + "\"messageSignature\":{}}";
        assertEquals(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                assertThrows(ModelSignatureException.class, () -> OmsBundle.parse(msg.getBytes(StandardCharsets.UTF_8))).code());
        String none = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{},"
                + "\"dsseEnvelope\":{\"payload\":\"\",\"payloadType\":\"x\",\"signatures\":[]}}";
        assertEquals(ModelSignatureException.Code.MALFORMED,
                assertThrows(ModelSignatureException.class, () -> OmsBundle.parse(none.getBytes(StandardCharsets.UTF_8))).code());
    }
}
