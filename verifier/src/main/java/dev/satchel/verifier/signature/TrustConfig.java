package dev.satchel.verifier.signature;

import dev.satchel.verifier.json.Json;
import dev.satchel.verifier.json.JsonArray;
import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a verifier trusts: public keys (each with an optional validity window), certificate
 * authorities, keys endorsed by signed rotation records, and keys withdrawn by signed revocation
 * lists. Format: docs/trust-format.md. Immutable and thread-safe once built.
 *
 * <p>Guarantees: a rotation record is honoured only if its signature verifies with a trusted,
 * unrevoked key, so a rotation chain always leads back to a key listed directly; a revoked key is
 * never accepted, and nothing it endorsed is trusted through it. Does not guarantee freshness: an
 * old trust file without a newer revocation list still trusts the key (distribute trust files
 * through an authenticated, rollback-protected channel such as TUF).
 */
public final class TrustConfig {
    private final Map<String, TrustedKey> keys;           // by key id, includes rotation-endorsed keys
    private final Map<String, String> revoked;            // key id -> reason
    private final List<X509Certificate> authorities;

    private TrustConfig(Map<String, TrustedKey> keys, Map<String, String> revoked, List<X509Certificate> authorities) {
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
        this.revoked = Collections.unmodifiableMap(new LinkedHashMap<>(revoked));
        this.authorities = Collections.unmodifiableList(new ArrayList<>(authorities));
    }

    /** Trusts exactly one key, with no validity limit ({@code --public-key}). */
    public static TrustConfig ofPublicKey(PublicKeyInfo key) {
        Map<String, TrustedKey> k = new LinkedHashMap<>();
        k.put(key.keyId(), new TrustedKey(key, null, null, null));
        return new TrustConfig(k, Map.of(), List.of());
    }

    /** Trusts certificates chaining to one of these roots. */
    public static TrustConfig ofCertificateAuthorities(List<X509Certificate> roots) {
        return new TrustConfig(Map.of(), Map.of(), roots);
    }

    /** Trusted keys by key id, rotation-endorsed ones included; revoked keys are not listed. */
    public Map<String, TrustedKey> keys() {
        return keys;
    }

    /** Revoked key ids and the reason given. */
    public Map<String, String> revoked() {
        return revoked;
    }

    public List<X509Certificate> certificateAuthorities() {
        return authorities;
    }

    /**
     * Parses and checks a trust file: every rotation record and revocation list must be signed by a
     * trusted key.
     *
     * @throws ModelSignatureException {@code MALFORMED} for format errors, {@code UNTRUSTED_KEY} for
     *     a record signed by an unknown key, {@code BAD_SIGNATURE} for a record whose signature fails,
     *     {@code UNSUPPORTED_ALGORITHM} for unsupported key types
     */
    public static TrustConfig parse(byte[] json) throws ModelSignatureException {
        try {
            return parseChecked(json);
        } catch (JsonException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED, "trust file " + ex.getMessage(), ex);
        }
    }

    private static TrustConfig parseChecked(byte[] json) throws JsonException, ModelSignatureException {
        JsonObject root = Json.parseObject(json);
        String type = root.string("_type");
        if (!TrustRecords.TRUST_TYPE.equals(type)) {
            throw malformed("/_type: expected " + TrustRecords.TRUST_TYPE + ", got " + type);
        }
        Map<String, TrustedKey> anchors = new LinkedHashMap<>();
        JsonArray keyArr = root.optArray("keys");
        for (int i = 0; keyArr != null && i < keyArr.size(); i++) {
            JsonObject k = keyArr.object(i);
            PublicKeyInfo key = PublicKeyInfo.fromPem(k.string("publicKey"));
            String declared = k.optString("keyId");
            if (declared != null && !declared.equals(key.keyId())) {
                throw malformed(k.pointerOf("keyId") + ": expected " + key.keyId() + " (sha256 of the canonical PEM), got "
                        + declared);
            }
            anchors.put(key.keyId(), new TrustedKey(key, instant(k, "notBefore"), instant(k, "notAfter"), null));
        }
        List<X509Certificate> cas = new ArrayList<>();
        JsonArray caArr = root.optArray("certificateAuthorities");
        for (int i = 0; caArr != null && i < caArr.size(); i++) {
            JsonObject c = caArr.object(i);
            cas.add(certificate(Pem.decode(c.string("certificate"), "CERTIFICATE", "trust file " + c.pointerOf("certificate")),
                    "trust file " + c.pointerOf("certificate")));
        }
        List<Envelope> rotations = new ArrayList<>();
        JsonArray rotArr = root.optArray("rotations");
        for (int i = 0; rotArr != null && i < rotArr.size(); i++) {
            rotations.add(Envelope.parse(rotArr.object(i), TrustRecords.ROTATION_PAYLOAD_TYPE));
        }
        List<Envelope> revocations = new ArrayList<>();
        JsonArray revArr = root.optArray("revocationLists");
        for (int i = 0; revArr != null && i < revArr.size(); i++) {
            revocations.add(Envelope.parse(revArr.object(i), TrustRecords.REVOCATION_PAYLOAD_TYPE));
        }

        // 1. Everything reachable by rotation, ignoring revocations: who may sign revocation lists.
        Map<String, TrustedKey> reachable = applyRotations(anchors, rotations, Map.of());
        // 2. Revocation lists, each signed by a key trusted at step 1 (a key may revoke itself).
        Map<String, String> revoked = new LinkedHashMap<>();
        for (Envelope env : revocations) {
            PublicKeyInfo signer = env.verifiedSigner(reachable);
            JsonObject list = Json.parseObject(env.payload);
            if (!TrustRecords.REVOCATION_TYPE.equals(list.string("_type"))) {
                throw malformed(env.pointer + " payload /_type: expected " + TrustRecords.REVOCATION_TYPE);
            }
            JsonArray entries = list.array("revoked");
            for (int i = 0; i < entries.size(); i++) {
                JsonObject e = entries.object(i);
                String id = e.string("keyId");
                if (id.length() != 64 || Hex.decodeOrNull(id) == null) {
                    throw malformed(env.pointer + " payload " + e.pointerOf("keyId") + ": expected 64 lower-case hex digits");
                }
                String reason = e.optString("reason");
                revoked.put(id, (reason == null ? "no reason given" : reason) + " (revocation list signed by " + signer.keyId() + ")");
            }
        }
        // 3. Final trust: rotations only through unrevoked keys; revoked keys dropped.
        Map<String, TrustedKey> trusted = applyRotations(anchors, rotations, revoked);
        trusted.keySet().removeAll(revoked.keySet());
        return new TrustConfig(trusted, revoked, cas);
    }

    private static Map<String, TrustedKey> applyRotations(Map<String, TrustedKey> anchors, List<Envelope> rotations,
            Map<String, String> revoked) throws JsonException, ModelSignatureException {
        Map<String, TrustedKey> trusted = new LinkedHashMap<>(anchors);
        List<Envelope> pending = new ArrayList<>(rotations);
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = false;
            for (int i = 0; i < pending.size(); i++) {
                Envelope env = pending.get(i);
                if (!trusted.containsKey(env.keyId)) {
                    continue;
                }
                pending.remove(i--);
                progress = true;
                if (revoked.containsKey(env.keyId)) {
                    continue; // a revoked key endorses nothing
                }
                PublicKeyInfo signer = env.verifiedSigner(trusted);
                JsonObject rec = Json.parseObject(env.payload);
                if (!TrustRecords.ROTATION_TYPE.equals(rec.string("_type"))) {
                    throw malformed(env.pointer + " payload /_type: expected " + TrustRecords.ROTATION_TYPE);
                }
                String previous = rec.string("previousKeyId");
                if (!previous.equals(signer.keyId())) {
                    throw malformed(env.pointer + " payload /previousKeyId: expected the signing key " + signer.keyId()
                            + ", got " + previous);
                }
                PublicKeyInfo next = PublicKeyInfo.fromPem(rec.string("newKey"));
                if (!trusted.containsKey(next.keyId())) {
                    trusted.put(next.keyId(), new TrustedKey(next, instant(rec, "notBefore"), instant(rec, "notAfter"),
                            signer.keyId()));
                }
            }
        }
        if (!pending.isEmpty() && revoked.isEmpty()) {
            Envelope env = pending.get(0);
            throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                    "trust file " + env.pointer + ": rotation record signed by key " + env.keyId
                            + ", which is neither listed nor endorsed by a listed key");
        }
        return trusted;
    }

    static X509Certificate certificate(byte[] der, String where) throws ModelSignatureException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException ex) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    where + ": not an X.509 certificate (" + ex.getMessage() + ")", ex);
        }
    }

    private static Instant instant(JsonObject o, String key) throws JsonException, ModelSignatureException {
        String s = o.optString(key);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException ex) {
            throw malformed(o.pointerOf(key) + ": expected an RFC 3339 UTC time like 2026-01-31T00:00:00Z, got '" + s + "'");
        }
    }

    private static ModelSignatureException malformed(String message) {
        return new ModelSignatureException(ModelSignatureException.Code.MALFORMED, "trust file " + message);
    }

    /** A DSSE envelope inside the trust file, signed by exactly one key named by {@code keyid}. */
    private static final class Envelope {
        final String pointer;
        final String payloadType;
        final byte[] payload;
        final String keyId;
        final byte[] sig;

        private Envelope(String pointer, String payloadType, byte[] payload, String keyId, byte[] sig) {
            this.pointer = pointer;
            this.payloadType = payloadType;
            this.payload = payload;
            this.keyId = keyId;
            this.sig = sig;
        }

        static Envelope parse(JsonObject o, String expectedType) throws JsonException, ModelSignatureException {
            String type = o.string("payloadType");
            if (!expectedType.equals(type)) {
                throw malformed(o.pointerOf("payloadType") + ": expected " + expectedType + ", got " + type);
            }
            JsonArray sigs = o.array("signatures");
            if (sigs.size() != 1) {
                throw malformed(sigs.pointer() + ": expected exactly one signature, got " + sigs.size());
            }
            JsonObject s = sigs.object(0);
            try {
                return new Envelope(o.pointer(), type, Base64.getDecoder().decode(o.string("payload")), s.string("keyid"),
                        Base64.getDecoder().decode(s.string("sig")));
            } catch (IllegalArgumentException ex) {
                throw malformed(o.pointer() + ": payload or sig is not standard base64");
            }
        }

        PublicKeyInfo verifiedSigner(Map<String, TrustedKey> trusted) throws ModelSignatureException {
            TrustedKey k = trusted.get(keyId);
            if (k == null) {
                throw new ModelSignatureException(ModelSignatureException.Code.UNTRUSTED_KEY,
                        "trust file " + pointer + ": signed by key " + keyId + ", which is not trusted");
            }
            if (!k.key().verify(Dsse.pae(payloadType, payload), sig)) {
                throw new ModelSignatureException(ModelSignatureException.Code.BAD_SIGNATURE,
                        "trust file " + pointer + ": signature by key " + keyId + " does not verify");
            }
            return k.key();
        }
    }
}
