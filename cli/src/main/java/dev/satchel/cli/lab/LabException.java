package dev.satchel.cli.lab;

import java.util.Objects;

/** A lab run could not be carried out; {@link #code()} says why. */
public final class LabException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Stable failure codes of the device lab (docs/device-lab.md). */
    public enum Code {
        /** No Docker daemon is reachable. */
        DOCKER_UNAVAILABLE,
        /** The base image is missing: run lab/setup.sh. */
        IMAGE_MISSING,
        /** A container could not be created, started or read. */
        CONTAINER_FAILED,
        /** Preparing the bundles or the repository failed. */
        PREPARE_FAILED,
        /** A jar the device containers need (verifier, onnxruntime) was not found. */
        RUNTIME_MISSING
    }

    private final Code code;

    public LabException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public LabException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
