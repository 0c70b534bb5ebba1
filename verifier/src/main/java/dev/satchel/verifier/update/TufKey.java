package dev.satchel.verifier.update;

import dev.satchel.verifier.json.JsonException;
import dev.satchel.verifier.json.JsonObject;
import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TUF public key (spec §4.2 "KEY" objects): key type, scheme, public value, and its key id.
 * Immutable, thread-safe.
 *
 * <p>Formats written and read (the securesystemslib/python-tuf forms, also read by tuf-js):
 * {@code {"keytype":"ed25519","scheme":"ed25519","keyval":{"public":"<64 hex>"}}} and
 * {@code {"keytype":"ecdsa","scheme":"ecdsa-sha2-nistp256","keyval":{"public":"<PEM>"}}}
 * (also {@code ecdsa-sha2-nistp384}; ECDSA signatures are DER, as securesystemslib makes them).
 * The key id is the hex SHA-256 of the canonical JSON of the whole key object (§4.2 "KEYID").
 */
public final class TufKey {
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private final String keyId;
    private final PublicKeyInfo key; // null: a key type this client cannot verify; it never counts

    private TufKey(String keyId, PublicKeyInfo key) {
        this.keyId = keyId;
        this.key = key;
    }

    /** The TUF key object for a public key. */
    public static Map<String, Object> keyObject(PublicKeyInfo key) {
        Map<String, Object> o = new LinkedHashMap<>();
        Map<String, Object> val = new LinkedHashMap<>();
        KeyAlgorithm a = key.algorithm();
        if (a == KeyAlgorithm.ED25519) {
            o.put("keytype", "ed25519");
            o.put("scheme", "ed25519");
            val.put("public", hex(Arrays.copyOfRange(key.spki(), 12, 44)));
        } else if (a == KeyAlgorithm.ECDSA_P256 || a == KeyAlgorithm.ECDSA_P384) {
            o.put("keytype", "ecdsa");
            o.put("scheme", a == KeyAlgorithm.ECDSA_P256 ? "ecdsa-sha2-nistp256" : "ecdsa-sha2-nistp384");
            val.put("public", key.canonicalPem());
        } else {
            throw new IllegalArgumentException("TUF keys are ed25519, ecdsa P-256 or P-384, not " + a.id());
        }
        o.put("keyval", val);
        return o;
    }

    /** The TUF key id of a key object: hex SHA-256 of its canonical JSON. */
    public static String keyIdOf(Map<String, Object> keyObject) {
        return hex(sha256(CanonicalJson.encode(keyObject)));
    }

    /** The TUF key id of a public key in the form {@link #keyObject} writes. */
    public static String keyIdOf(PublicKeyInfo key) {
        return keyIdOf(keyObject(key));
    }

    /**
     * Reads a key object listed under {@code keyId}. The id must be the key's own (clients must
     * recompute key ids, §4.2), else a repository could list one key under two ids and count it
     * twice. Unknown key types and schemes are kept but never verify (they count toward no threshold).
     */
    static TufKey parse(String keyId, JsonObject o) throws UpdateException, JsonException {
        String computed = keyIdOf(o.asMap());
        if (!computed.equals(keyId)) {
            throw new UpdateException(UpdateException.Code.METADATA_INVALID,
                    o.pointer() + ": key id " + keyId + " is not the SHA-256 of the key's canonical JSON (" + computed + ")");
        }
        String type = o.string("keytype");
        String scheme = o.string("scheme");
        String pub = o.object("keyval").string("public");
        PublicKeyInfo info = null;
        try {
            if (type.equals("ed25519") && scheme.equals("ed25519")) {
                byte[] raw = unhex(pub);
                if (raw != null && raw.length == 32) {
                    byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, 44);
                    System.arraycopy(raw, 0, spki, 12, 32);
                    info = PublicKeyInfo.fromSpki(spki);
                }
            } else if ((type.equals("ecdsa") || type.equals(scheme))
                    && (scheme.equals("ecdsa-sha2-nistp256") || scheme.equals("ecdsa-sha2-nistp384"))) {
                PublicKeyInfo k = PublicKeyInfo.fromPem(pub);
                KeyAlgorithm want = scheme.endsWith("256") ? KeyAlgorithm.ECDSA_P256 : KeyAlgorithm.ECDSA_P384;
                info = k.algorithm() == want ? k : null;
            }
        } catch (ModelSignatureException ex) {
            info = null; // not a key we can use: it cannot sign anything we accept
        }
        return new TufKey(keyId, info);
    }

    public String keyId() {
        return keyId;
    }

    /** The public key, or {@code null} for a type or scheme this client does not verify. */
    public PublicKeyInfo publicKey() {
        return key;
    }

    /** Whether {@code sigHex} is this key's valid signature over {@code data}. */
    boolean verify(byte[] data, String sigHex) {
        byte[] sig = unhex(sigHex);
        if (key == null || sig == null) {
            return false;
        }
        try {
            return key.verify(data, sig);
        } catch (ModelSignatureException ex) {
            return false;
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Lower-case hex. */
    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    /** Hex (either case) to bytes, or {@code null} if not hex of even length. */
    static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(s.charAt(2 * i), 16);
            int lo = Character.digit(s.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }
}
