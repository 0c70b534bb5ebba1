package dev.satchel.signing;

import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.Pem;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Key files: generating key pairs and reading/writing them as PEM. Private keys are PKCS#8
 * ({@code PRIVATE KEY}, or {@code ENCRYPTED PRIVATE KEY} with PBES2/AES-256 under a passphrase);
 * SEC1 {@code EC PRIVATE KEY} files (openssl ecparam) are read too. Public keys are SPKI
 * ({@code PUBLIC KEY}). Stateless.
 */
public final class KeyFiles {
    private static final int PBKDF2_ITERATIONS = 200_000;
    /**
     * BouncyCastle as a provider instance, never registered globally: the JDK lacks the
     * AES/CBC/PKCS7Padding name BC's PKCS#8 encryption asks for. Created lazily (it is slow to build)
     * and only for encrypted keys.
     */
    private static final class Bc {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    private KeyFiles() {}

    /** Generates a key pair with the JDK's providers. */
    public static KeyPair generate(KeyAlgorithm algorithm) throws SigningException {
        try {
            switch (algorithm) {
                case ECDSA_P256:
                case ECDSA_P384:
                case ECDSA_P521: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    String curve = algorithm == KeyAlgorithm.ECDSA_P256 ? "secp256r1"
                            : algorithm == KeyAlgorithm.ECDSA_P384 ? "secp384r1" : "secp521r1";
                    g.initialize(new ECGenParameterSpec(curve));
                    return g.generateKeyPair();
                }
                case ED25519:
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                default:
                    throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "cannot generate " + algorithm);
            }
        } catch (GeneralSecurityException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "cannot generate " + algorithm.id() + ": " + ex.getMessage(), ex);
        }
    }

    /** PEM text of a private key as PKCS#8; encrypted (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) when a passphrase is given. */
    public static String privateKeyPem(PrivateKey key, char[] passphrase) throws SigningException {
        if (passphrase == null || passphrase.length == 0) {
            return Pem.encode("PRIVATE KEY", key.getEncoded());
        }
        try {
            JceOpenSSLPKCS8EncryptorBuilder enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC);
            enc.setPRF(PKCS8Generator.PRF_HMACSHA256);
            enc.setIterationCount(PBKDF2_ITERATIONS);
            enc.setPassword(passphrase);
            enc.setProvider(Bc.PROVIDER);
            PemObject obj = new PKCS8Generator(PrivateKeyInfo.getInstance(key.getEncoded()), enc.build()).generate();
            return Pem.encode("ENCRYPTED PRIVATE KEY", obj.getContent());
        } catch (OperatorCreationException | IOException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "cannot encrypt private key: " + ex.getMessage(), ex);
        }
    }

    /**
     * Writes {@code prefix.key} (PKCS#8 PEM, created with mode 0600 where POSIX permissions exist)
     * and {@code prefix.pub} (SPKI PEM). Refuses to overwrite either.
     */
    public static PublicKeyInfo writeKeyPair(KeyPair pair, Path prefix, char[] passphrase)
            throws SigningException, IOException {
        Path keyFile = prefix.resolveSibling(prefix.getFileName() + ".key");
        Path pubFile = prefix.resolveSibling(prefix.getFileName() + ".pub");
        for (Path p : List.of(keyFile, pubFile)) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "refusing to overwrite an existing key file");
            }
        }
        PublicKeyInfo pub = publicKeyOf(pair);
        byte[] keyPem = privateKeyPem(pair.getPrivate(), passphrase).getBytes(StandardCharsets.US_ASCII);
        // Create the private key file with 0600 from the start: never readable by others, not even briefly.
        try {
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(keyFile);
        }
        try (OutputStream out = Files.newOutputStream(keyFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(keyPem);
        }
        Files.write(pubFile, pub.canonicalPem().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW);
        return pub;
    }

    private static PublicKeyInfo publicKeyOf(KeyPair pair) throws SigningException {
        try {
            return PublicKeyInfo.of(pair.getPublic());
        } catch (ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, ex.detail(), ex);
        }
    }

    /** Reads an SPKI {@code PUBLIC KEY} PEM file. */
    public static PublicKeyInfo readPublicKey(Path file) throws SigningException, IOException {
        try {
            return PublicKeyInfo.fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (ModelSignatureException ex) {
            throw new SigningException(ex.code() == ModelSignatureException.Code.UNSUPPORTED_ALGORITHM
                    ? SigningException.Code.KEY_UNSUPPORTED : SigningException.Code.KEY_INVALID, file + ": " + ex.detail(), ex);
        }
    }

    /** Reads the certificates of a PEM file, in file order (leaf first for a chain). */
    public static List<X509Certificate> readCertificates(Path file) throws SigningException, IOException {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (byte[] der : Pem.decodeAll(Files.readString(file, StandardCharsets.US_ASCII), "CERTIFICATE", file.toString())) {
                out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.KEY_INVALID, file + ": not a PEM certificate file: " + ex.getMessage(), ex);
        }
        if (out.isEmpty()) {
            throw new SigningException(SigningException.Code.KEY_INVALID, file + ": no '-----BEGIN CERTIFICATE-----' block");
        }
        return out;
    }

    /**
     * Reads a private key PEM file into a signing key; {@code passphrase} is needed for encrypted
     * files (and ignored otherwise).
     *
     * @throws SigningException {@code KEY_INVALID} (not a key, wrong or missing passphrase),
     *     {@code KEY_UNSUPPORTED} (RSA, other curves)
     */
    public static SigningKey readPrivateKey(Path file, char[] passphrase) throws SigningException, IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString(), passphrase);
    }

    /**
     * Parses private key PEM text (for keys handed over in memory, such as a CI secret in an
     * environment variable, which must not be written to disk); {@code source} names it in errors.
     *
     * @throws SigningException as {@link #readPrivateKey(Path, char[])}
     */
    public static SigningKey parsePrivateKey(String text, String source, char[] passphrase) throws SigningException {
        PrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o = parser.readObject();
            if (o instanceof PKCS8EncryptedPrivateKeyInfo) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new SigningException(SigningException.Code.KEY_INVALID,
                            source + ": the private key is encrypted; give its passphrase (--passphrase-file or SATCHEL_KEY_PASSPHRASE)");
                }
                info = ((PKCS8EncryptedPrivateKeyInfo) o).decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(passphrase));
            } else if (o instanceof PrivateKeyInfo) {
                info = (PrivateKeyInfo) o;
            } else if (o instanceof PEMKeyPair) {
                info = ((PEMKeyPair) o).getPrivateKeyInfo();
            } else if (o instanceof PEMEncryptedKeyPair) {
                if (passphrase == null || passphrase.length == 0) {
                    throw new SigningException(SigningException.Code.KEY_INVALID, source + ": the private key is encrypted; give its passphrase");
                }
                info = ((PEMEncryptedKeyPair) o).decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(passphrase))
                        .getPrivateKeyInfo();
            } else {
                throw new SigningException(SigningException.Code.KEY_INVALID,
                        source + ": expected a PEM private key (PRIVATE KEY, ENCRYPTED PRIVATE KEY or EC PRIVATE KEY), got "
                                + (o == null ? "nothing" : o.getClass().getSimpleName()));
            }
        } catch (PKCSException | org.bouncycastle.openssl.EncryptionException ex) {
            throw new SigningException(SigningException.Code.KEY_INVALID, source + ": cannot decrypt the private key (wrong passphrase?)", ex);
        } catch (OperatorCreationException | IOException | IllegalArgumentException
                | org.bouncycastle.util.encoders.DecoderException ex) {
            // DecoderException: damaged base64 inside the PEM armour.
            throw new SigningException(SigningException.Code.KEY_INVALID, source + ": not a readable private key: " + ex.getMessage(), ex);
        }
        return fromPrivateKeyInfo(info, source.contains("/") ? source.substring(source.lastIndexOf('/') + 1) : source);
    }

    private static SigningKey fromPrivateKeyInfo(PrivateKeyInfo info, String source) throws SigningException {
        ASN1ObjectIdentifier alg = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            byte[] spki;
            PrivateKey key;
            if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
                X9ECParameters params = ECNamedCurveTable.getByOID(curve);
                if (params == null) {
                    throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, source + ": unknown elliptic curve " + curve);
                }
                BigInteger d = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
                byte[] point = params.getG().multiply(d).normalize().getEncoded(false);
                spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), point).getEncoded();
                key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } else if (alg.equals(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519)) {
                byte[] raw = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                byte[] pub = new Ed25519PrivateKeyParameters(raw, 0).generatePublicKey().getEncoded();
                spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519), pub)
                        .getEncoded();
                key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            } else {
                throw new SigningException(SigningException.Code.KEY_UNSUPPORTED,
                        source + ": key algorithm " + alg + " is not supported, expected ECDSA P-256/P-384 or Ed25519");
            }
            PublicKeyInfo pub = PublicKeyInfo.fromSpki(spki);
            return new JcaSigningKey(key, null, pub, List.of(), pub + " (" + source + ")");
        } catch (ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, source + ": " + ex.detail(), ex);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException ex) {
            throw new SigningException(SigningException.Code.KEY_INVALID, source + ": not a usable private key: " + ex.getMessage(), ex);
        }
    }

    /** A signing key for an in-memory key pair (tests, tools). */
    public static SigningKey signingKey(KeyPair pair, String description) throws SigningException {
        PublicKeyInfo pub = publicKeyOf(pair);
        return new JcaSigningKey(pair.getPrivate(), null, pub, List.of(), pub + " (" + description + ")");
    }
}
