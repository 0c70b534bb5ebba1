package dev.satchel.packager.quantize;

/** How {@link QuantizeMode#INT8_STATIC} turns observed activation values into a range. */
public enum CalibrationMethod {
    /** The smallest and largest value seen over all calibration samples. */
    MINMAX,
    /**
     * Per sample, the 0.01st and 99.99th percentiles, averaged over samples: rare outliers do not
     * stretch the range (and waste int8 levels) the way they do with MINMAX.
     */
    PERCENTILE
}
