package dev.satchel.cli;

import java.util.Locale;

/**
 * Human-readable sizes and counts for text output (decimal units, as file managers show).
 *
 * <p>Formatted with {@link Locale#US}, not {@link Locale#ROOT}: both print "1.5", but for any locale
 * other than US, {@code %f} loads the locale data (DecimalFormatSymbols and the CLDR provider),
 * 5-15 ms of a cold start for a one-line summary.
 */
final class Sizes {
    private Sizes() {}

    static String bytes(long b) {
        if (b < 1000) {
            return b + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.US, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    static String count(long n) {
        if (n < 10_000) {
            return Long.toString(n);
        }
        if (n < 1_000_000) {
            return String.format(Locale.US, "%.1f k", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.US, "%.2f M", n / 1e6);
        }
        return String.format(Locale.US, "%.2f G", n / 1e9);
    }
}
