package dev.satchel.verifier.signature;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OMS signature file ({@code model.sig}): a Sigstore bundle v0.3 (protobuf-specs JSON mapping)
 * holding a DSSE envelope. Holds the exact signed payload bytes; nothing here is verified yet (see
 * {@link ModelSignatureVerifier}). Immutable.
 *
 * <p>Verification material is either a public key referenced by {@code hint} (the key id) or an
 * X.509 chain, leaf first ({@code x509CertificateChain}, or a single {@code certificate}).
 */
public final class OmsBundle {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

    private final String publicKeyHint;      // null when absent
    private final List<byte[]> certificates;  // DER, leaf first; empty for key bundles
    private final String payloadType;
    private final byte[] payload;
    private final byte[] signature;

    private OmsBundle(String publicKeyHint, List<byte[]> certificates, String payloadType, byte[] payload, byte[] signature) {
        this.publicKeyHint = publicKeyHint;
        List<byte[]> copy = new ArrayList<>();
        for (byte[] c : certificates) {
            copy.add(c.clone());
        }
        this.certificates = Collections.unmodifiableList(copy);
        this.payloadType = payloadType;
        this.payload = payload.clone();
        this.signature = signature.clone();
    }

    /** A key bundle: {@code verificationMaterial.publicKey.hint = keyId}. */
    public static OmsBundle forKey(String keyId, byte[] payload, byte[] signature) {
        return new OmsBundle(keyId, List.of(), Dsse.IN_TOTO_PAYLOAD_TYPE, payload, signature);
    }

    /** A certificate bundle: chain of DER certificates, leaf first, the root usually left out. */
    public static OmsBundle forCertificates(List<byte[]> chain, byte[] payload, byte[] signature) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain must not be empty");
        }
        return new OmsBundle(null, chain, Dsse.IN_TOTO_PAYLOAD_TYPE, payload, signature);
    }

    /**
     * Parses a signature file.
     *
     * @throws ModelSignatureException {@code UNSIGNED} for an envelope without signatures,
     *     {@code MALFORMED} for anything else that is not a v0.3 bundle with a DSSE envelope
     */
    public static OmsBundle parse(byte[] json) throws ModelSignatureException {
        try {
            JsonObject root = Json.parseObject(json);
            String mediaType = root.string("mediaType");
            if (!MEDIA_TYPE.equals(mediaType)) {
                throw malformed("/mediaType: expected " + MEDIA_TYPE + ", got " + mediaType);
            }
            JsonObject material = root.object("verificationMaterial");
            String hint = null;
            List<byte[]> certs = new ArrayList<>();
            JsonObject pk = material.optObject("publicKey");
            JsonObject chain = material.optObject("x509CertificateChain");
            JsonObject single = material.optObject("certificate");
            int kinds = (pk != null ? 1 : 0) + (chain != null ? 1 : 0) + (single != null ? 1 : 0);
            if (kinds != 1) {
                throw malformed("/verificationMaterial: expected exactly one of publicKey, x509CertificateChain, certificate; got "
                        + kinds);
            }
            if (pk != null) {
                hint = pk.optString("hint");
                if (hint != null && hint.isEmpty()) {
                    hint = null;
                }
            } else if (chain != null) {
                JsonArray arr = chain.array("certificates");
                if (arr.size() == 0) {
                    throw malformed(arr.pointer() + ": certificate chain is empty");
                }
                for (int i = 0; i < arr.size(); i++) {
                    certs.add(base64(arr.object(i), "rawBytes"));
                }
            } else {
                certs.add(base64(single, "rawBytes"));
            }
            JsonObject env = root.optObject("dsseEnvelope");
            if (env == null) {
                if (root.has("messageSignature")) {
                    throw new ModelSignatureException(ModelSignatureException.Code.UNSUPPORTED_ALGORITHM,
                            "/messageSignature: only DSSE envelope bundles are model signatures");
                }
                throw malformed("/dsseEnvelope: required member is missing");
            }
            String payloadType = env.string("payloadType");
            byte[] payload = base64(env, "payload");
            JsonArray sigs = env.array("signatures");
            if (sigs.size() == 0) {
                throw new ModelSignatureException(ModelSignatureException.Code.UNSIGNED,
                        "/dsseEnvelope/signatures: envelope holds no signature");
            }
            // OMS uses signatures[0] only; more than one would be ambiguous about which key signed.
            if (sigs.size() > 1) {
                throw malformed(sigs.pointer() + ": expected one signature, got " + sigs.size());
            }
            byte[] sig = base64(sigs.object(0), "sig");
            return new OmsBundle(hint, certs, payloadType, payload, sig);
        } catch (JsonException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED, "signature file " + ex.getMessage(), ex);
        }
    }

    private static byte[] base64(JsonObject o, String key) throws JsonException, ModelSignatureException {
        String text = o.string(key);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    o.pointerOf(key) + ": not standard base64 (" + ex.getMessage() + ")", ex);
        }
    }

    private static ModelSignatureException malformed(String message) {
        return new ModelSignatureException(ModelSignatureException.Code.MALFORMED, "signature file " + message);
    }

    /** The bundle as UTF-8 JSON, 2-space indented, trailing newline. Same bundle, same bytes. */
    public byte[] toJson() {
        Map<String, Object> material = new LinkedHashMap<>();
        if (certificates.isEmpty()) {
            material.put("publicKey", Collections.singletonMap("hint", publicKeyHint == null ? "" : publicKeyHint));
        } else {
            List<Object> certs = new ArrayList<>();
            for (byte[] c : certificates) {
                certs.add(Collections.singletonMap("rawBytes", Base64.getEncoder().encodeToString(c)));
            }
            material.put("x509CertificateChain", Collections.singletonMap("certificates", certs));
        }
        material.put("tlogEntries", List.of());
        Map<String, Object> sig = new LinkedHashMap<>();
        sig.put("sig", Base64.getEncoder().encodeToString(signature));
        sig.put("keyid", "");
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("payloadType", payloadType);
        env.put("signatures", List.of(sig));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mediaType", MEDIA_TYPE);
        root.put("verificationMaterial", material);
        root.put("dsseEnvelope", env);
        return (Json.writePretty(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The key id from {@code publicKey.hint}, or {@code null}. */
    public String publicKeyHint() {
        return publicKeyHint;
    }

    /** DER certificates, leaf first; empty for a key bundle. */
    public List<byte[]> certificates() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] c : certificates) {
            out.add(c.clone());
        }
        return out;
    }

    public String payloadType() {
        return payloadType;
    }

    /** The exact signed payload bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** The DSSE PAE bytes the signature covers. */
    public byte[] pae() {
        return Dsse.pae(payloadType, payload);
    }
}
