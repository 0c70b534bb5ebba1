package dev.satchel.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ContainerEngine} over the {@code docker} command line, so the satchel command needs no
 * Docker client library. Containers get {@code --network host}, the device's {@code --memory}
 * (with {@code --memory-swap} equal, no swap) and {@code --cpu-period}/{@code --cpu-quota}. Thread-safe.
 */
public final class DockerCli implements ContainerEngine {
    private final String docker;

    /** Uses {@code docker} from the PATH. */
    public DockerCli() {
        this("docker");
    }

    public DockerCli(String dockerExecutable) {
        this.docker = dockerExecutable;
    }

    @Override
    public boolean available(StringBuilder why) {
        try {
            Result r = exec(List.of(docker, "version", "--format", "{{.Server.Version}}"), 30);
            if (r.code == 0) {
                return true;
            }
            why.append(firstLine(r.out));
        } catch (IOException ex) {
            why.append("cannot run '").append(docker).append("': ").append(ex.getMessage());
        }
        return false;
    }

    @Override
    public boolean hasImage(String image) throws LabException {
        try {
            return exec(List.of(docker, "image", "inspect", "--format", "{{.Id}}", image), 30).code == 0;
        } catch (IOException ex) {
            throw new LabException(LabException.Code.DOCKER_UNAVAILABLE, "docker image inspect: " + ex.getMessage(), ex);
        }
    }

    @Override
    public Running start(ContainerSpec spec) throws LabException {
        List<String> cmd = runCommand(spec, true);
        Result r = call(cmd, 120);
        if (r.code != 0) {
            throw new LabException(LabException.Code.CONTAINER_FAILED, "docker run: " + firstLine(r.out));
        }
        String id = r.out.trim();
        return () -> {
            try {
                exec(List.of(docker, "rm", "-f", id), 60);
            } catch (IOException ex) {
                // Best effort: the container is labelled satchel-lab for manual cleanup.
            }
        };
    }

    @Override
    public Finished run(ContainerSpec spec) throws LabException {
        Result r = call(runCommand(spec, false), spec.timeout().toSeconds() + 60);
        return new Finished(r.code, r.out);
    }

    private List<String> runCommand(ContainerSpec spec, boolean detach) {
        List<String> cmd = new ArrayList<>(List.of(docker, "run", detach ? "-d" : "--rm", "--network", "host",
                "--label", "satchel-lab=1"));
        if (spec.memoryBytes() > 0) {
            cmd.add("--memory=" + spec.memoryBytes());
            cmd.add("--memory-swap=" + spec.memoryBytes());
        }
        if (spec.nanoCpus() > 0) {
            cmd.add("--cpu-period=" + ContainerSpec.CPU_PERIOD_MICROS);
            cmd.add("--cpu-quota=" + spec.cpuQuotaMicros());
        }
        if (spec.user() != null) {
            cmd.add("--user=" + spec.user());
        }
        for (Bind b : spec.binds()) {
            cmd.add("-v");
            cmd.add(b.host().toAbsolutePath() + ":" + b.container() + (b.readOnly() ? ":ro" : ""));
        }
        cmd.add(spec.image());
        cmd.addAll(spec.command());
        return cmd;
    }

    private Result call(List<String> cmd, long timeoutSeconds) throws LabException {
        try {
            return exec(cmd, timeoutSeconds);
        } catch (IOException ex) {
            throw new LabException(LabException.Code.CONTAINER_FAILED, String.join(" ", cmd.subList(0, 2)) + ": "
                    + ex.getMessage(), ex);
        }
    }

    private record Result(int code, String out) {}

    private static Result exec(List<String> cmd, long timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // Read the output before waiting: a child blocked on a full pipe never exits. The wait
        // below therefore only bounds the time after the output closes; device runs bound
        // themselves with timeout(1) inside the container.
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", ex);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
