package dev.satchel.verifier.bundle;

import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.OmsStatement;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.Serialization;
import dev.satchel.verifier.signature.TrustConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The production {@link SignatureCheck}: {@code model.sig} is an OpenSSF Model Signing (OMS v1.0)
 * Sigstore bundle whose signed in-toto statement lists every other bundle entry as a resource
 * (docs/bundle-format.md §6). Signature, signer trust (keys, rotation, revocation, certificate
 * chains) and statement checks are those of {@link ModelSignatureVerifier}; this class adds the
 * binding to the bundle: method {@code files}, algorithm {@code sha256} for every resource, and
 * resource names and digests equal to the entries and digests the verifier computed, with no
 * entry missing and none extra. Immutable and thread-safe.
 */
public final class OmsSignatureCheck implements SignatureCheck {
    private final ModelSignatureVerifier verifier;

    private OmsSignatureCheck(ModelSignatureVerifier verifier) {
        this.verifier = verifier;
    }

    /** Checks signatures against {@code trust} with the system clock. */
    public static OmsSignatureCheck of(TrustConfig trust) {
        return new OmsSignatureCheck(ModelSignatureVerifier.create(trust).withThreads(1));
    }

    /** Checks signatures with a configured verifier (e.g. an injected clock). */
    public static OmsSignatureCheck of(ModelSignatureVerifier verifier) {
        return new OmsSignatureCheck(verifier);
    }

    @Override
    public void verify(byte[] signature, Map<String, byte[]> sha256ByName) throws VerificationException {
        begin(signature).finish(sha256ByName);
    }

    /** Checks the signature, the signer and the statement now; the digests in {@code finish}. */
    @Override
    public Pending begin(byte[] signature) throws VerificationException {
        OmsStatement statement;
        try {
            statement = verifier.verifyStatement(OmsBundle.parse(signature));
        } catch (ModelSignatureException ex) {
            throw new VerificationException(RejectionCode.SIGNATURE_INVALID,
                    BundleFormat.SIGNATURE_ENTRY + ": " + ex.code() + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            throw new VerificationException(RejectionCode.SIGNATURE_INVALID,
                    BundleFormat.SIGNATURE_ENTRY + ": unreadable signature: " + ex, ex);
        }
        if (!Serialization.FILES.equals(statement.serialization().method())) {
            throw new VerificationException(RejectionCode.SIGNATURE_INVALID, BundleFormat.SIGNATURE_ENTRY
                    + ": serialization method '" + statement.serialization().method() + "', bundles are signed with 'files'");
        }
        Map<String, String> signed = new HashMap<>();
        for (ResourceDigest r : statement.resources()) {
            if (!"sha256".equals(r.algorithm())) {
                throw new VerificationException(RejectionCode.SIGNATURE_INVALID, BundleFormat.SIGNATURE_ENTRY
                        + ": resource '" + r.name() + "' uses " + r.algorithm() + ", expected sha256");
            }
            signed.put(r.name(), r.digest());
        }
        return sha256ByName -> compare(signed, sha256ByName);
    }

    private static void compare(Map<String, String> signed, Map<String, byte[]> sha256ByName)
            throws VerificationException {
        TreeSet<String> unsigned = new TreeSet<>(sha256ByName.keySet());
        unsigned.removeAll(signed.keySet());
        TreeSet<String> absent = new TreeSet<>(signed.keySet());
        absent.removeAll(sha256ByName.keySet());
        if (!unsigned.isEmpty() || !absent.isEmpty()) {
            throw new VerificationException(RejectionCode.SIGNATURE_INVALID, BundleFormat.SIGNATURE_ENTRY
                    + ": signed resources do not match the bundle entries; not signed: " + unsigned
                    + ", signed but absent: " + absent);
        }
        for (Map.Entry<String, byte[]> e : sha256ByName.entrySet()) {
            String actual = BundleVerifier.hex(e.getValue());
            String expected = signed.get(e.getKey());
            if (!expected.equals(actual)) {
                throw new VerificationException(RejectionCode.SIGNATURE_INVALID, BundleFormat.SIGNATURE_ENTRY
                        + ": entry '" + e.getKey() + "': signed sha256 " + expected + ", bundle has " + actual);
            }
        }
    }
}
