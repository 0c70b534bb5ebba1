package dev.satchel.packager.quantize;

/** Progress of a long quantization run; the CLI draws it on a terminal. Called on the caller's thread. */
@FunctionalInterface
public interface QuantizeListener {
    /**
     * @param step what is happening now
     * @param done units finished in this step
     * @param total units in this step, 0 when unknown
     */
    void progress(String step, int done, int total);

    static QuantizeListener none() {
        return (s, d, t) -> { };
    }
}
