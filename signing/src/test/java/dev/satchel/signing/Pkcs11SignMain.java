package dev.satchel.signing;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child-process entry point for {@link SoftHsmIT}: SoftHSM2 reads SOFTHSM2_CONF when the library is
 * loaded into the JVM, so the token's configuration must be in the environment of a fresh JVM.
 * Args: CONFIG ALIAS PIN MODEL.
 */
public final class Pkcs11SignMain {
    private Pkcs11SignMain() {}

    public static void main(String[] args) throws Exception {
        SigningKey key = Pkcs11Keys.load(Paths.get(args[0]), args[1], args[2].toCharArray());
        Path model = Paths.get(args[3]);
        SignResult r = ModelSigner.sign(key, SignOptions.of(model));
        System.out.println("keyId=" + key.publicKey().keyId());
        System.out.println("signature=" + r.signature());
        System.out.println("root=" + r.verified().rootDigest());
    }
}
