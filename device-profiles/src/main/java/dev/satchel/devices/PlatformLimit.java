package dev.satchel.devices;

import java.util.Optional;

/** Hard per-object ceilings a platform imposes, in bytes. Keys of {@link DeviceProfile#limits()}. */
public enum PlatformLimit {
    /** WebGPU {@code maxBufferSize}: the largest single GPU buffer (spec default 256 MiB). */
    GPU_MAX_BUFFER_BYTES("gpu_max_buffer_bytes"),
    /** WebGPU {@code maxStorageBufferBindingSize} (spec default 128 MiB). */
    GPU_MAX_STORAGE_BINDING_BYTES("gpu_max_storage_binding_bytes"),
    /** The largest WebAssembly linear memory (wasm32: 4 GiB). */
    WASM_MAX_MEMORY_BYTES("wasm_max_memory_bytes"),
    /** The largest plain ArrayBuffer (Chrome: 0x7fe00000). */
    ARRAY_BUFFER_MAX_BYTES("array_buffer_max_bytes"),
    /** The largest single model file the runtime loads (protobuf: 2 GiB without external data). */
    MODEL_FILE_MAX_BYTES("model_file_max_bytes");

    private final String label;

    PlatformLimit(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<PlatformLimit> fromLabel(String label) {
        for (PlatformLimit l : values()) {
            if (l.label.equals(label)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
