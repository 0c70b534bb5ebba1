package dev.satchel.signing;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.signature.Dsse;
import dev.satchel.verifier.signature.Pem;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.TrustRecords;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes trust files (docs/trust-format.md): trusted keys, certificate authorities, signed key
 * rotation records and signed revocation lists. Not thread-safe; build, then {@link #toJson()}.
 * The verifier's {@code TrustConfig.parse} is the definition of what is accepted.
 */
public final class TrustFileBuilder {
    private final List<Object> keys = new ArrayList<>();
    private final List<Object> authorities = new ArrayList<>();
    private final List<Object> rotations = new ArrayList<>();
    private final List<Object> revocationLists = new ArrayList<>();

    public static TrustFileBuilder create() {
        return new TrustFileBuilder();
    }

    /** Starts from an existing trust file, keeping everything in it. */
    public static TrustFileBuilder from(byte[] json) throws SigningException {
        TrustFileBuilder b = new TrustFileBuilder();
        try {
            Map<?, ?> root = (Map<?, ?>) Json.parse(json);
            copy(root.get("keys"), b.keys);
            copy(root.get("certificateAuthorities"), b.authorities);
            copy(root.get("rotations"), b.rotations);
            copy(root.get("revocationLists"), b.revocationLists);
        } catch (JsonException | ClassCastException ex) {
            throw new SigningException(SigningException.Code.KEY_INVALID, "trust file: " + ex.getMessage(), ex);
        }
        return b;
    }

    private static void copy(Object list, List<Object> into) {
        if (list != null) {
            into.addAll((List<?>) list);
        }
    }

    /** Trusts a key directly, optionally only within {@code [notBefore, notAfter)} (nulls for open ends). */
    public TrustFileBuilder addKey(PublicKeyInfo key, Instant notBefore, Instant notAfter) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("keyId", key.keyId());
        k.put("algorithm", key.algorithm().id());
        k.put("publicKey", key.canonicalPem());
        if (notBefore != null) {
            k.put("notBefore", notBefore.toString());
        }
        if (notAfter != null) {
            k.put("notAfter", notAfter.toString());
        }
        keys.add(k);
        return this;
    }

    /** Trusts certificates chaining to this root. */
    public TrustFileBuilder addCertificateAuthority(X509Certificate root) throws SigningException {
        try {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("subject", root.getSubjectX500Principal().getName());
            c.put("certificate", Pem.encode("CERTIFICATE", root.getEncoded()));
            authorities.add(c);
        } catch (CertificateEncodingException ex) {
            throw new SigningException(SigningException.Code.KEY_INVALID, "cannot encode certificate: " + ex.getMessage(), ex);
        }
        return this;
    }

    /** Adds a rotation record: {@code previous} endorses {@code next} (valid until {@code notAfter}, or open-ended). */
    public TrustFileBuilder addRotation(SigningKey previous, PublicKeyInfo next, Instant notAfter) throws SigningException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("_type", TrustRecords.ROTATION_TYPE);
        p.put("previousKeyId", previous.publicKey().keyId());
        p.put("newKeyId", next.keyId());
        p.put("newKey", next.canonicalPem());
        if (notAfter != null) {
            p.put("notAfter", notAfter.toString());
        }
        rotations.add(envelope(previous, TrustRecords.ROTATION_PAYLOAD_TYPE, p));
        return this;
    }

    /** Adds a revocation list signed by {@code signer}: key id to reason. */
    public TrustFileBuilder addRevocationList(SigningKey signer, Map<String, String> revoked, Instant issuedAt)
            throws SigningException {
        List<Object> entries = new ArrayList<>();
        for (Map.Entry<String, String> e : revoked.entrySet()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("keyId", e.getKey());
            r.put("reason", e.getValue());
            entries.add(r);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("_type", TrustRecords.REVOCATION_TYPE);
        p.put("issuedAt", issuedAt.toString());
        p.put("revoked", entries);
        revocationLists.add(envelope(signer, TrustRecords.REVOCATION_PAYLOAD_TYPE, p));
        return this;
    }

    private static Map<String, Object> envelope(SigningKey signer, String payloadType, Map<String, Object> payloadValue)
            throws SigningException {
        byte[] payload = Json.writePretty(payloadValue).getBytes(StandardCharsets.UTF_8);
        byte[] sig = signer.sign(Dsse.pae(payloadType, payload));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("keyid", signer.publicKey().keyId());
        s.put("sig", Base64.getEncoder().encodeToString(sig));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("payloadType", payloadType);
        env.put("payload", Base64.getEncoder().encodeToString(payload));
        env.put("signatures", List.of(s));
        return env;
    }

    /** The trust file as UTF-8 JSON, 2-space indented, trailing newline. */
    public byte[] toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("_type", TrustRecords.TRUST_TYPE);
        root.put("keys", keys);
        root.put("certificateAuthorities", authorities);
        root.put("rotations", rotations);
        root.put("revocationLists", revocationLists);
        return (Json.writePretty(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
