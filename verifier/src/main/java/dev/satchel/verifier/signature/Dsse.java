package dev.satchel.verifier.signature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * DSSE pre-authentication encoding (secure-systems-lab/dsse protocol.md):
 * {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, lengths as ASCII decimal byte counts.
 * Signatures are made and checked over exactly these bytes, never over a re-serialisation.
 */
public final class Dsse {
    /** The only payload type OMS uses. */
    public static final String IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

    private Dsse() {}

    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + type.length + 32);
        byte[] head = ("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.US_ASCII);
        out.write(head, 0, head.length);
        out.write(type, 0, type.length);
        byte[] mid = (" " + payload.length + " ").getBytes(StandardCharsets.US_ASCII);
        out.write(mid, 0, mid.length);
        out.write(payload, 0, payload.length);
        return out.toByteArray();
    }
}
