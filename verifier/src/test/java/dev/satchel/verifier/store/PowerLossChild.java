package dev.satchel.verifier.store;

import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.TestKeys;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Child JVM for {@link PowerLossIT}: opens the store, prints READY, installs the given bundle
 * files in order (alternately by copy and by move), prints DONE. The parent kills it with SIGKILL
 * at a random instant.
 */
public final class PowerLossChild {
    private PowerLossChild() {}

    public static void main(String[] args) throws Exception {
        Path store = Paths.get(args[0]);
        BundleVerifier verifier = BundleVerifier.create(TestKeys.generate(Long.parseLong(args[1])).policy());
        try (ModelStore s = ModelStore.open(store, "tiny", verifier)) {
            System.out.println("READY");
            System.out.flush();
            for (int i = 2; i < args.length; i++) {
                if (i % 2 == 0) {
                    s.install(Paths.get(args[i]), DeviceFacts.unknown());
                } else {
                    s.installByMove(Paths.get(args[i]), DeviceFacts.unknown());
                }
            }
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
