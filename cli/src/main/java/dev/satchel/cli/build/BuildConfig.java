package dev.satchel.cli.build;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A parsed {@code satchel.yaml} (docs/satchel-yaml.md). Paths are already resolved against the
 * file's folder. Immutable.
 */
public record BuildConfig(Path file, String model, Map<String, Long> dims, Optional<Quantize> quantize,
        Evaluation evaluation, List<Device> devices, Bundle bundle, Signing signing, Path outputs) {

    public BuildConfig {
        Objects.requireNonNull(file);
        Objects.requireNonNull(model);
        dims = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(dims));
        Objects.requireNonNull(quantize);
        Objects.requireNonNull(evaluation);
        devices = List.copyOf(devices);
        Objects.requireNonNull(bundle);
        Objects.requireNonNull(signing);
        Objects.requireNonNull(outputs);
    }

    /**
     * {@code quantize:}. {@code minCosine} empty with {@code gate} true means the mode's default gate.
     */
    public record Quantize(String mode, boolean gate, OptionalDouble minCosine, List<String> excludeOps,
            List<String> excludeNodes, Optional<Path> calibration) {
        public Quantize {
            Objects.requireNonNull(mode);
            Objects.requireNonNull(minCosine);
            excludeOps = List.copyOf(excludeOps);
            excludeNodes = List.copyOf(excludeNodes);
            Objects.requireNonNull(calibration);
        }
    }

    /**
     * {@code evaluation:}: inputs the quantization gate runs the models on: the sample folders in
     * {@code inputs} when given, else {@code samples} input sets generated from the model's inputs.
     */
    public record Evaluation(boolean enabled, int samples, Map<String, List<Long>> inputRanges, Optional<Path> inputs) {
        public Evaluation {
            inputRanges = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(inputRanges));
            Objects.requireNonNull(inputs);
        }
    }

    /** One entry of {@code devices:}. */
    public record Device(String id, Optional<Path> profile, boolean mustPass, boolean mayWarn,
            OptionalDouble acceleratorShare) {
        public Device {
            Objects.requireNonNull(id);
            Objects.requireNonNull(profile);
            Objects.requireNonNull(acceleratorShare);
        }
    }

    /** {@code bundle:}. */
    public record Bundle(String name, long version, String displayVersion, String minOnnxRuntime) {
        public Bundle {
            Objects.requireNonNull(name);
            Objects.requireNonNull(displayVersion);
            Objects.requireNonNull(minOnnxRuntime);
        }
    }

    /** {@code signing:}: where the release key comes from. */
    public record Signing(Kind kind, Optional<Path> keyFile, Optional<String> env, Optional<Path> pkcs11Config,
            Optional<String> alias, Optional<Path> passphraseFile, Optional<Path> pinFile) {
        /** FILE: a PEM file; ENV: PEM text in an environment variable; PKCS11: a token; THROWAWAY: none configured. */
        public enum Kind { FILE, ENV, PKCS11, THROWAWAY }

        public Signing {
            Objects.requireNonNull(kind);
            Objects.requireNonNull(keyFile);
            Objects.requireNonNull(env);
            Objects.requireNonNull(pkcs11Config);
            Objects.requireNonNull(alias);
            Objects.requireNonNull(passphraseFile);
            Objects.requireNonNull(pinFile);
        }

        public static Signing throwaway() {
            return new Signing(Kind.THROWAWAY, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
    }
}
