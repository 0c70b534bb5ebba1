package dev.satchel.devices.check;

/** The outcome for one device: the worst severity among its findings. */
public enum Verdict {
    PASS,
    WARN,
    FAIL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Verdict of(Iterable<Finding> findings) {
        Verdict v = PASS;
        for (Finding f : findings) {
            if (f.severity() == Severity.FAIL) {
                return FAIL;
            }
            if (f.severity() == Severity.WARN) {
                v = WARN;
            }
        }
        return v;
    }
}
