package dev.satchel.signing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Random;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small generated models and a test PKI. */
final class TestModels {
    private TestModels() {}

    /** A directory model: model.onnx (5000 random bytes), config.json, sub/weights.bin, empty.txt, plus ignored .git/HEAD. */
    static Path model(Path dir) throws IOException {
        Path m = Files.createDirectories(dir.resolve("demo-model"));
        byte[] onnx = new byte[5000];
        new Random(7).nextBytes(onnx);
        Files.write(m.resolve("model.onnx"), onnx);
        Files.writeString(m.resolve("config.json"), "{\"hidden\": 64}\n", StandardCharsets.UTF_8);
        Files.createDirectories(m.resolve("sub"));
        byte[] w = new byte[2500];
        new Random(8).nextBytes(w);
        Files.write(m.resolve("sub/weights.bin"), w);
        Files.write(m.resolve("empty.txt"), new byte[0]);
        Files.createDirectories(m.resolve(".git"));
        Files.writeString(m.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        return m;
    }

    static X509Certificate certificate(String subject, KeyPair subjectKey, String issuer, KeyPair issuerKey, boolean ca,
            int keyUsage, Instant notBefore, Instant notAfter) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(System.nanoTime()), Date.from(notBefore), Date.from(notAfter), new X500Name(subject),
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (keyUsage != 0) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        }
        String alg = issuerKey.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(issuerKey.getPrivate())));
    }
}
