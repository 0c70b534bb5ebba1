package dev.satchel.packager.bundle;

import dev.satchel.verifier.bundle.OmsSignatureCheck;
import dev.satchel.verifier.bundle.VerificationPolicy;
import dev.satchel.verifier.signature.Dsse;
import dev.satchel.verifier.signature.OmsBundle;
import dev.satchel.verifier.signature.OmsStatement;
import dev.satchel.verifier.signature.PublicKeyInfo;
import dev.satchel.verifier.signature.ResourceDigest;
import dev.satchel.verifier.signature.Serialization;
import dev.satchel.verifier.signature.TrustConfig;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Signs prepared bundles with a throw-away P-256 key, as the CLI does with the signing module. */
final class TestSigner {
    final KeyPair pair;
    final PublicKeyInfo info;

    TestSigner() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        pair = g.generateKeyPair();
        info = PublicKeyInfo.of(pair.getPublic());
    }

    byte[] sign(Map<String, byte[]> digests) throws Exception {
        List<ResourceDigest> r = new ArrayList<>();
        digests.forEach((k, v) -> r.add(ResourceDigest.of(k, "sha256", HexFormat.of().formatHex(v))));
        byte[] payload = OmsStatement.of("bundle", r, Serialization.files(List.of("model.sig"))).toJson();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(pair.getPrivate());
        s.update(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
        return OmsBundle.forKey(info.keyId(), payload, s.sign()).toJson();
    }

    VerificationPolicy policy() {
        return VerificationPolicy.requireSignature(OmsSignatureCheck.of(TrustConfig.ofPublicKey(info)));
    }
}
