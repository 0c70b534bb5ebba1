package dev.satchel.reports.internal;

import java.util.List;

/**
 * Groups finding codes into the checks a CI system shows as test cases (JUnit) and the report
 * tables. The grouping is part of the report format (docs/report-schema.md): a code never moves.
 */
public final class Checks {
    public static final List<String> ALL = List.of("memory", "storage", "runtime", "accelerator", "dtype", "latency");

    private Checks() {}

    /** The check a finding code (label form, e.g. {@code memory-over-budget}) belongs to. */
    public static String of(String code) {
        if (code.startsWith("memory-") || code.startsWith("tensor-")) {
            return "memory";
        }
        if (code.startsWith("storage-")) {
            return "storage";
        }
        if (code.startsWith("opset-") || code.startsWith("ir-") || code.startsWith("runtime-")
                || code.equals("custom-op-domain")) {
            return "runtime";
        }
        if (code.startsWith("accelerator-") || code.equals("caveats-unevaluated")) {
            return "accelerator";
        }
        if (code.startsWith("dtype-")) {
            return "dtype";
        }
        if (code.startsWith("latency-")) {
            return "latency";
        }
        return "other";
    }
}
