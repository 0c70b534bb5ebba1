package dev.satchel.devices.check;

import java.util.Locale;

/** Stable codes of checker findings; documented in docs/checker.md. */
public enum FindingCode {
    /** Estimated peak memory above the device's model budget. */
    MEMORY_OVER_BUDGET,
    /** Estimated peak memory above 80% of the model budget. */
    MEMORY_NEAR_BUDGET,
    /** The profile has no memory budget, so memory could not be judged. */
    MEMORY_BUDGET_UNKNOWN,
    /** Some activation shapes are unknown; the activation estimate counts them as zero. */
    MEMORY_SHAPES_UNKNOWN,
    /** The model (file plus external data) is larger than the download budget. */
    STORAGE_OVER_DOWNLOAD_BUDGET,
    /** The model is larger than the install limit. */
    STORAGE_OVER_INSTALL_LIMIT,
    /** One tensor is larger than a per-buffer platform limit (WebGPU maxBufferSize...). */
    TENSOR_OVER_PLATFORM_LIMIT,
    /** The estimated peak exceeds the platform's hard memory ceiling (wasm32 4 GiB). */
    MEMORY_OVER_PLATFORM_LIMIT,
    /** The model's opset is above what the device's ONNX Runtime version supports. */
    OPSET_TOO_NEW,
    /** The model's opset is below ONNX Runtime's minimum (7). */
    OPSET_TOO_OLD,
    /** The model's IR version is above what the device's ONNX Runtime reads. */
    IR_TOO_NEW,
    /** The device's ONNX Runtime version is not in Satchel's release table, or its row is inferred. */
    RUNTIME_VERSION_UNCERTAIN,
    /** An operator domain no ONNX Runtime build knows (a custom op library is needed). */
    CUSTOM_OP_DOMAIN,
    /** An accelerator's execution provider takes part of the compute; the rest falls back to CPU. */
    ACCELERATOR_PARTIAL,
    /** An accelerator's execution provider takes none of the compute. */
    ACCELERATOR_UNUSED,
    /** The accelerated part is split into many partitions, each boundary a device copy. */
    ACCELERATOR_FRAGMENTED,
    /** Satchel has no operator table for this execution provider; coverage is unknown. */
    ACCELERATOR_COVERAGE_UNKNOWN,
    /** The execution provider is deprecated on this platform. */
    ACCELERATOR_DEPRECATED,
    /** The accelerator needs quantized (QDQ) tensors and the model's compute is float. */
    DTYPE_NEEDS_QUANTIZATION,
    /** An accelerator computes in lower precision than the model (fp16-only Neural Engine, fp32 model). */
    DTYPE_PRECISION_CHANGE,
    /** Tensor types the CPU path does not compute natively (fp16 on wasm...). */
    DTYPE_UNSUPPORTED,
    /** Documented EP conditions that cannot be decided statically; listed as caveats. */
    CAVEATS_UNEVALUATED,
    /** The rough latency estimate (always INFO). */
    LATENCY_ESTIMATE;

    /** {@code memory-over-budget}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
