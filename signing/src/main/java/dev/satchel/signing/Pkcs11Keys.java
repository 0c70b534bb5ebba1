package dev.satchel.signing;

import dev.satchel.verifier.signature.ModelSignatureException;
import dev.satchel.verifier.signature.PublicKeyInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keys on a PKCS#11 token through the JDK's SunPKCS11 provider. The private key stays on the token;
 * signing sends the data to it. The key must have a certificate with the same id on the token (that
 * is how SunPKCS11 exposes an alias); the certificate supplies the public key. Whether the
 * signature carries that certificate or just the key hint is the caller's choice.
 */
public final class Pkcs11Keys {
    private Pkcs11Keys() {}

    /**
     * Opens the token described by a SunPKCS11 configuration file and returns the key {@code alias}.
     *
     * @param pin the user PIN
     * @throws SigningException {@code TOKEN_ERROR} for library, slot, PIN or alias problems
     */
    public static SigningKey load(Path config, String alias, char[] pin) throws SigningException {
        if (!Files.isRegularFile(config)) {
            throw new SigningException(SigningException.Code.TOKEN_ERROR, config + ": PKCS#11 configuration file not found");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new SigningException(SigningException.Code.TOKEN_ERROR, "this JDK has no SunPKCS11 provider");
        }
        Provider provider;
        try {
            provider = base.configure(config.toString());
        } catch (RuntimeException ex) {
            throw new SigningException(SigningException.Code.TOKEN_ERROR,
                    config + ": cannot initialise the PKCS#11 library: " + rootMessage(ex), ex);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            Key key = ks.getKey(alias, null);
            if (!(key instanceof PrivateKey)) {
                List<String> aliases = Collections.list(ks.aliases());
                throw new SigningException(SigningException.Code.TOKEN_ERROR,
                        "token " + provider.getName() + ": no private key with alias '" + alias + "' (aliases with a certificate: "
                                + aliases + ")");
            }
            Certificate[] certs = ks.getCertificateChain(alias);
            if (certs == null || certs.length == 0) {
                throw new SigningException(SigningException.Code.TOKEN_ERROR,
                        "token " + provider.getName() + ": key '" + alias + "' has no certificate to take the public key from");
            }
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : certs) {
                chain.add((X509Certificate) c);
            }
            PublicKeyInfo pub = PublicKeyInfo.of(chain.get(0).getPublicKey());
            return new JcaSigningKey((PrivateKey) key, provider, pub, List.of(),
                    pub + " (PKCS#11 " + provider.getName() + ", alias " + alias + ")");
        } catch (GeneralSecurityException | java.io.IOException ex) {
            throw new SigningException(SigningException.Code.TOKEN_ERROR,
                    "token " + provider.getName() + ": " + rootMessage(ex), ex);
        } catch (ModelSignatureException ex) {
            throw new SigningException(SigningException.Code.KEY_UNSUPPORTED, "token key '" + alias + "': " + ex.detail(), ex);
        }
    }

    /** The certificates stored with the key on the token, leaf first (for signing with a certificate). */
    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }
}
