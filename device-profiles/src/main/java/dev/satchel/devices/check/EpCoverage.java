package dev.satchel.devices.check;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Which nodes one execution provider would take on one device, after evaluating its operator
 * table, opset ranges, constraints and dtype rules; the rest falls back to the CPU. Immutable.
 *
 * @param executionProvider data id ({@code qnn-htp}, {@code coreml-mlprogram})
 * @param accelerator the profile accelerator it reaches
 * @param partitions connected groups of taken nodes, as ONNX Runtime's partitioner forms them
 * @param macsTaken multiply-accumulates in taken nodes (MatMul, Gemm, Conv, ConvTranspose...)
 * @param macsTotal all multiply-accumulates the checker could count
 * @param fallbacks every node not taken, with the reason
 * @param caveats documented conditions of taken nodes that could not be evaluated statically
 */
public record EpCoverage(String executionProvider, String accelerator, int nodesTaken, int nodesTotal, int partitions,
        long macsTaken, long macsTotal, List<NodeFallback> fallbacks, List<String> caveats) {
    /** A node left to the CPU, and why. {@code reason} is a stable code, {@code detail} plain words. */
    public record NodeFallback(String node, String opType, String reason, String detail, long macs) {
        public NodeFallback {
            Objects.requireNonNull(node);
            Objects.requireNonNull(opType);
            Objects.requireNonNull(reason);
            Objects.requireNonNull(detail);
        }
    }

    public EpCoverage {
        Objects.requireNonNull(executionProvider);
        Objects.requireNonNull(accelerator);
        fallbacks = List.copyOf(fallbacks);
        caveats = List.copyOf(caveats);
    }

    /** Share of MACs taken, 0..1; empty when the model has no countable MACs. */
    public OptionalDouble macShare() {
        return macsTotal > 0 ? OptionalDouble.of((double) macsTaken / macsTotal) : OptionalDouble.empty();
    }
}
