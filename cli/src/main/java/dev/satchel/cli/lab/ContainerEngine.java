package dev.satchel.cli.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs the lab's containers. Two implementations: {@link DockerCli} (the {@code docker} command,
 * used by {@code satchel lab}) and the Testcontainers engine of the lab's integration test. Every
 * container uses the host network (the machine has no bridge) and talks to 127.0.0.1 only.
 */
public interface ContainerEngine {
    /** Whether the engine can reach a Docker daemon; {@code why} gets a one-line reason when not. */
    boolean available(StringBuilder why);

    /** Whether {@code image} exists locally (there is no registry to pull from). */
    boolean hasImage(String image) throws LabException;

    /**
     * Starts a long-running container (the update server) and returns a handle that stops and
     * removes it.
     */
    Running start(ContainerSpec spec) throws LabException;

    /** Runs a container to completion (its own command enforces any deadline) and removes it. */
    Finished run(ContainerSpec spec) throws LabException;

    /** A container that is running. */
    interface Running extends AutoCloseable {
        @Override
        void close();
    }

    /** A container that ran to its end. */
    record Finished(int exitCode, String output) {
        public Finished {
            Objects.requireNonNull(output, "output");
        }
    }

    /** A host directory or file mounted into the container. */
    record Bind(Path host, String container, boolean readOnly) {
        public Bind {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(container, "container");
        }
    }

    /**
     * What to run: image, command, mounts and the cgroup limits of a device ({@code memoryBytes}
     * with swap equal to it, so the limit is hard; {@code nanoCpus} as Docker's {@code --cpus} × 10^9,
     * applied as a CFS quota per {@link #CPU_PERIOD_MICROS}). A limit of 0 means none.
     */
    record ContainerSpec(String image, List<String> command, List<Bind> binds, long memoryBytes, long nanoCpus,
            String user, Duration timeout) {
        /**
         * The CFS period of device containers: 10 ms rather than Docker's 100 ms, so a fractional
         * quota throttles in steps far shorter than one inference and the latency is not
         * quantised to whole periods. The kernel's minimum quota is 1 ms, hence the lab's lower
         * bound of 0.1 CPU.
         */
        public static final long CPU_PERIOD_MICROS = 10_000;

        /** The CFS quota per {@link #CPU_PERIOD_MICROS} (at least the kernel's 1 ms), 0 for none. */
        public long cpuQuotaMicros() {
            return nanoCpus == 0 ? 0 : Math.max(1000, Math.round(nanoCpus / 1e9 * CPU_PERIOD_MICROS));
        }

        public ContainerSpec {
            Objects.requireNonNull(image, "image");
            command = List.copyOf(command);
            binds = List.copyOf(binds);
            Objects.requireNonNull(timeout, "timeout");
            if (memoryBytes < 0 || nanoCpus < 0) {
                throw new IllegalArgumentException("limits must be >= 0");
            }
        }
    }
}
