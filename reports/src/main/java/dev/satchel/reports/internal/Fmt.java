package dev.satchel.reports.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Number formatting shared by the renderers; Locale.ROOT everywhere so output never varies. */
public final class Fmt {
    private Fmt() {}

    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        double k = b / 1024.0;
        if (k < 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", k);
        }
        double m = k / 1024.0;
        if (m < 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", m);
        }
        return String.format(Locale.ROOT, "%.2f GiB", m / 1024.0);
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    public static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1fG", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 10_000L) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3);
        }
        return Long.toString(n);
    }

    public static String num(double v, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }

    public static boolean has(JsonNode n, String field) {
        return n != null && n.has(field) && !n.get(field).isNull();
    }

    public static String text(JsonNode n, String field, String fallback) {
        return has(n, field) ? n.get(field).asText() : fallback;
    }

    public static String escapeXml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    // XML 1.0 forbids most control characters even as references.
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        b.append('?');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Markdown table cell: pipes escaped, newlines flattened. */
    public static String md(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;");
    }
}
