package dev.satchel.cli.lab;

import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.utility.DockerImageName;

/**
 * {@link ContainerEngine} on Testcontainers, for {@link DeviceLabIT}: the same lab, driven through
 * docker-java instead of the {@code docker} command. Host network, hard memory limit (swap equal to
 * it) and CPU quota set on the create command's host config.
 */
final class TestcontainersEngine implements ContainerEngine {
    @Override
    public boolean available(StringBuilder why) {
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return true;
            }
            why.append("Testcontainers found no Docker environment");
        } catch (RuntimeException ex) {
            why.append(ex.getMessage());
        }
        return false;
    }

    @Override
    public boolean hasImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException ex) {
            return false;
        }
    }

    @Override
    public Running start(ContainerSpec spec) throws LabException {
        GenericContainer<?> c = container(spec)
                .withStartupCheckStrategy(new IsRunningStartupCheckStrategy())
                .waitingFor(new NoWait()); // host network, no exposed ports: DeviceLab polls the URL itself
        try {
            c.start();
        } catch (RuntimeException ex) {
            throw new LabException(LabException.Code.CONTAINER_FAILED, "start " + spec.image() + ": " + ex.getMessage(), ex);
        }
        return c::stop;
    }

    @Override
    public Finished run(ContainerSpec spec) throws LabException {
        StringBuilder out = new StringBuilder();
        GenericContainer<?> c = container(spec)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(spec.timeout()))
                .withLogConsumer((OutputFrame f) -> {
                    synchronized (out) {
                        out.append(f.getUtf8String());
                    }
                });
        try {
            c.start();
            long code = DockerClientFactory.instance().client().inspectContainerCmd(c.getContainerId()).exec()
                    .getState().getExitCodeLong();
            String logs = c.getLogs();
            return new Finished((int) code, logs);
        } catch (RuntimeException ex) {
            throw new LabException(LabException.Code.CONTAINER_FAILED, "run " + spec.image() + ": " + ex.getMessage()
                    + "\n" + out, ex);
        } finally {
            c.stop();
        }
    }

    @SuppressWarnings("resource") // closed by the caller through Running or in run()
    private static GenericContainer<?> container(ContainerSpec spec) {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(spec.image()))
                .withNetworkMode("host")
                .withCommand(spec.command().toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> {
                    if (spec.memoryBytes() > 0) {
                        cmd.getHostConfig().withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
                    }
                    if (spec.nanoCpus() > 0) {
                        cmd.getHostConfig().withCpuPeriod(ContainerSpec.CPU_PERIOD_MICROS)
                                .withCpuQuota(spec.cpuQuotaMicros());
                    }
                    if (spec.user() != null) {
                        cmd.withUser(spec.user());
                    }
                    cmd.withLabels(new java.util.HashMap<>(java.util.Map.of("satchel-lab", "1")));
                });
        for (Bind b : spec.binds()) {
            c.withFileSystemBind(b.host().toAbsolutePath().toString(), b.container(),
                    b.readOnly() ? BindMode.READ_ONLY : BindMode.READ_WRITE);
        }
        return c;
    }

    private static final class NoWait implements WaitStrategy {
        @Override
        public void waitUntilReady(WaitStrategyTarget target) {}

        @Override
        public WaitStrategy withStartupTimeout(Duration timeout) {
            return this;
        }
    }
}
