package dev.satchel.verifier.bundle;

import dev.satchel.verifier.signature.Dsse;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.OmsStatement;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.Serialization;
import dev.satchel.verifier.signature.TrustConfig;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A throw-away P-256 signing key producing OMS key bundles for bundle tests. */
public final class TestKeys {
    private final KeyPair pair;
    private final PublicKeyInfo info;

    private TestKeys(KeyPair pair) throws Exception {
        this.pair = pair;
        this.info = PublicKeyInfo.of(pair.getPublic());
    }

    public static TestKeys generate(long seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            g.initialize(new ECGenParameterSpec("secp256r1"), r);
            return new TestKeys(g.generateKeyPair());
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    public TrustConfig trust() {
        return TrustConfig.ofPublicKey(info);
    }

    public SignatureCheck check() {
        return OmsSignatureCheck.of(trust());
    }

    public VerificationPolicy policy() {
        return VerificationPolicy.requireSignature(check());
    }

    public PublicKeyInfo publicKey() {
        return info;
    }

    /** An OMS model.sig over name to sha256 (raw bytes), in the map's order. */
    public byte[] sign(Map<String, byte[]> sha256ByName) {
        List<ResourceDigest> resources = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : sha256ByName.entrySet()) {
            resources.add(ResourceDigest.of(e.getKey(), "sha256", BundleVerifier.hex(e.getValue())));
        }
        OmsStatement st = OmsStatement.of("bundle", resources,
                Serialization.files(Collections.singletonList(BundleFormat.SIGNATURE_ENTRY)));
        byte[] payload = st.toJson();
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(pair.getPrivate());
            s.update(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
            return OmsBundle.forKey(info.keyId(), payload, s.sign()).toJson();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
