package dev.satchel.verifier.signature;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutation fuzzing of a real signature file: parsing may only ever fail with a coded ModelSignatureException. */
class BundleFuzzTest {
    @Test
    void parse_mutatedReferenceBundle_failsOnlyWithCodedException() throws Exception {
        byte[] seed = Files.readAllBytes(OmsReferenceVectorTest.DIR.resolve("model.sig"));
        byte[] payloadSeed = OmsBundle.parse(seed).payload();
        Random random = new Random(1234);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean mutatePayload = random.nextBoolean();
            byte[] b = (mutatePayload ? payloadSeed : seed).clone();
            for (int e = 1 + random.nextInt(3); e > 0; e--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            try {
                if (mutatePayload) {
                    OmsStatement.parse(b);
                } else {
                    OmsStatement.parse(OmsBundle.parse(b).payload());
                }
                accepted++;
            } catch (ModelSignatureException expected) {
                assertTrue(expected.code() != null && !expected.detail().isEmpty());
            }
        }
        assertTrue(accepted > 0, "some mutations (e.g. inside base64 padding or ignored text) still parse");
    }
}
