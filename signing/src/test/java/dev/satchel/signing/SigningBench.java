package dev.satchel.signing;

import dev.satchel.verifier.signature.KeyAlgorithm;
import dev.satchel.verifier.signature.ModelSignatureVerifier;
import dev.satchel.verifier.signature.TrustConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Benchmark driver for bench/signing.sh (not a test): signs and verifies MODEL in-process and prints
 * throughput and peak heap. Args: MODEL files|sharded SHARD_SIZE RUNS OUT_SIG.
 */
public final class SigningBench {
    private SigningBench() {}

    public static void main(String[] args) throws Exception {
        Path model = Paths.get(args[0]);
        boolean sharded = "sharded".equals(args[1]);
        long shardSize = Long.parseLong(args[2]);
        int runs = Integer.parseInt(args[3]);
        Path sig = Paths.get(args[4]);
        long bytes = Files.isDirectory(model) ? 0 : Files.size(model);
        SigningKey key = KeyFiles.signingKey(KeyFiles.generate(KeyAlgorithm.ECDSA_P256), "bench");
        SignOptions options = SignOptions.of(model).withSignature(sig);
        if (sharded) {
            options = options.withSharding(shardSize);
        }
        ModelSignatureVerifier verifier = ModelSignatureVerifier.create(TrustConfig.ofPublicKey(key.publicKey()));
        double bestSign = Double.MAX_VALUE;
        double bestVerify = Double.MAX_VALUE;
        double verifyCpu = 0;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            ModelSigner.sign(key, options);
            long t1 = System.nanoTime();
            long c1 = os.getProcessCpuTime();
            verifier.verify(model, sig);
            long t2 = System.nanoTime();
            long c2 = os.getProcessCpuTime();
            bestSign = Math.min(bestSign, (t1 - t0) / 1e9);
            if ((t2 - t1) / 1e9 < bestVerify) {
                bestVerify = (t2 - t1) / 1e9;
                verifyCpu = (c2 - c1) / 1e9;
            }
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("mode=%s bytes=%d sign_s=%.3f sign_MBps=%.0f verify_s=%.3f verify_MBps=%.0f verify_cpu_s=%.3f"
                        + " peak_heap_MB=%.1f max_heap_MB=%.0f%n",
                sharded ? "sharded(" + shardSize + ")" : "files", bytes, bestSign, bytes / bestSign / 1e6, bestVerify,
                bytes / bestVerify / 1e6, verifyCpu, peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
    }
}
