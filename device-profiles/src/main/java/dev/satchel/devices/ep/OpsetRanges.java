package dev.satchel.devices.ep;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The opset versions an execution provider registers a kernel or builder for, written as in ORT's
 * kernel tables: {@code "6-12,13,14+"}. Immutable.
 *
 * <p>Matching a node by its model's opset import is exact for contiguous ranges: every range start
 * in a kernel registration is a real since-version of the operator, so a node's since-version lies
 * in the union iff the model's opset does (see docs/checker.md, "opset ranges").
 */
public record OpsetRanges(List<Range> ranges) {
    /** An inclusive range; {@code to} is {@link Integer#MAX_VALUE} for an open end ("13+"). */
    public record Range(int from, int to) {
        public Range {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("bad opset range " + from + "-" + to);
            }
        }

        @Override
        public String toString() {
            return to == Integer.MAX_VALUE ? from + "+" : from == to ? Integer.toString(from) : from + "-" + to;
        }
    }

    public OpsetRanges {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no opset ranges");
        }
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).from() <= ranges.get(i - 1).to()) {
                throw new IllegalArgumentException("opset ranges overlap or are out of order: " + ranges);
            }
        }
    }

    /** Parses {@code "1-12,13-20"}, {@code "11,12+"}, {@code "7+"}. */
    public static OpsetRanges parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                if (p.endsWith("+")) {
                    out.add(new Range(Integer.parseInt(p.substring(0, p.length() - 1).trim()), Integer.MAX_VALUE));
                } else if (p.contains("-")) {
                    String[] ab = p.split("-", 2);
                    out.add(new Range(Integer.parseInt(ab[0].trim()), Integer.parseInt(ab[1].trim())));
                } else {
                    int v = Integer.parseInt(p);
                    out.add(new Range(v, v));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad opset range '" + p + "' in '" + text + "'", e);
            }
        }
        return new OpsetRanges(out);
    }

    public boolean contains(int opset) {
        return ranges.stream().anyMatch(r -> opset >= r.from() && opset <= r.to());
    }

    /** The highest opset covered, or {@link Integer#MAX_VALUE} when the last range is open. */
    public int max() {
        return ranges.get(ranges.size() - 1).to();
    }

    /** True when the ranges leave no holes between the first start and the end. */
    public boolean isContiguous() {
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).from() != ranges.get(i - 1).to() + 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        ranges.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }
}
