package dev.satchel.verifier.signature;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Minimal PEM (RFC 7468) block extraction. */
public final class Pem {
    private Pem() {}

    /** The DER bytes of the first block labelled {@code label}. */
    public static byte[] decode(String pem, String label, String what) throws ModelSignatureException {
        List<byte[]> all = decodeAll(pem, label, what);
        if (all.isEmpty()) {
            throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                    what + ": expected a PEM '-----BEGIN " + label + "-----' block, found none");
        }
        return all.get(0);
    }

    /** The DER bytes of every block labelled {@code label}, in order. */
    public static List<byte[]> decodeAll(String pem, String label, String what) throws ModelSignatureException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = pem.indexOf(begin, from);
            if (b < 0) {
                return out;
            }
            int e = pem.indexOf(end, b);
            if (e < 0) {
                throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                        what + ": PEM block '" + label + "' has no END line");
            }
            String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
            try {
                out.add(Base64.getDecoder().decode(body));
            } catch (IllegalArgumentException ex) {
                throw new ModelSignatureException(ModelSignatureException.Code.MALFORMED,
                        what + ": PEM block '" + label + "' is not valid base64", ex);
            }
            from = e + end.length();
        }
    }

    /** PEM text of DER bytes: 64-column base64, LF line ends, trailing newline. */
    public static String encode(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }
}
