package dev.satchel.packager.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.satchel.testing.TinyModels;
import dev.satchel.verifier.bundle.BundleFormat;
import dev.satchel.verifier.bundle.BundleVerifier;
import dev.satchel.verifier.bundle.DeviceFacts;
import dev.satchel.verifier.bundle.VerifiedBundle;
import dev.satchel.verifier.store.ModelStore;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an app does: install a signed bundle into a {@link ModelStore}, memory-map the model
 * straight out of the installed bundle (no extraction) and run it in ONNX Runtime from the
 * {@code ByteBuffer}; the outputs must be bit-identical to loading the original file.
 */
class MappedModelOrtIT {
    @TempDir
    Path tmp;

    @Test
    void mappedModelFromInstalledBundle_runsInOrtWithIdenticalOutputs() throws Exception {
        Path original = tmp.resolve("mlp.onnx");
        Files.write(original, TinyModels.mlp().toByteArray());
        TestSigner signer = new TestSigner();
        PreparedBundle p = BundleWriter.prepare(BundleSpec.of("mlp", 1, List.of(BundleInput.of("mlp.onnx", original))));
        Path bundle = tmp.resolve("mlp-1.bundle");
        BundleWriter.write(p, signer.sign(p.signedDigests()), bundle);

        try (ModelStore store = ModelStore.open(tmp.resolve("store"), "mlp", BundleVerifier.create(signer.policy()))) {
            VerifiedBundle installed = store.install(bundle, DeviceFacts.unknown());
            VerifiedBundle.Entry entry = installed.models().get(0);
            assertEquals(0, entry.offset() % BundleFormat.ALIGNMENT);
            MappedByteBuffer mapped = installed.map(entry.name());
            assertTrue(mapped.isDirect());

            float[][] x = new float[3][16];
            Random r = new Random(5);
            for (float[] row : x) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) r.nextGaussian();
                }
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                o.setInterOpNumThreads(1);
                float[][] fromFile;
                float[][] fromMap;
                try (OrtSession s = env.createSession(original.toString(), o)) {
                    fromFile = run(env, s, x);
                }
                try (OrtSession s = env.createSession(mapped, o)) {
                    fromMap = run(env, s, x);
                }
                assertEquals(3, fromMap.length);
                for (int i = 0; i < fromFile.length; i++) {
                    assertArrayEquals(fromFile[i], fromMap[i], 0f, "row " + i);
                }
            }
        }
    }

    private static float[][] run(OrtEnvironment env, OrtSession s, float[][] x) throws Exception {
        try (OnnxTensor t = OnnxTensor.createTensor(env, x); OrtSession.Result r = s.run(Map.of("x", t))) {
            return (float[][]) r.get(0).getValue();
        }
    }
}
