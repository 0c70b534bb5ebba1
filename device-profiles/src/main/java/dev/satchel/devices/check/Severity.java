package dev.satchel.devices.check;

/** How much a finding matters for the device verdict. */
public enum Severity {
    /** Context: an estimate, a caveat that could not be evaluated. Never changes the verdict. */
    INFO,
    /** Runs, but not as well as it could (CPU fallback, close to a budget, unverified limits). */
    WARN,
    /** Will not run, or will be killed: over the memory budget, opset too new for the runtime. */
    FAIL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
