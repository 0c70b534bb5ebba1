package dev.satchel.devices;

import java.util.Optional;

/**
 * How a profile fact is known. Every fact carries one so that reports can print estimates as
 * estimates ("≈3.0 GB (estimate)") and readers can weigh a vendor figure against a forum report.
 */
public enum Evidence {
    /** A vendor page or a vendor claim quoted by the press. Needs at least one source. */
    VENDOR("vendor"),
    /** Widely reported but not published by the vendor (e.g. iPhone RAM). Needs a source. */
    REPORTED("reported"),
    /** A developer measurement in a public issue or forum. Needs a source. */
    COMMUNITY_MEASURED("community-measured"),
    /** Derived arithmetically from published figures. Needs a source and a basis. */
    COMPUTED("computed"),
    /** Our judgement, not a measurement. Needs a basis saying how it was reasoned. */
    ESTIMATE("estimate"),
    /** Background knowledge not confirmed by a source read; shown with a warning. */
    UNVERIFIED("unverified");

    private final String label;

    Evidence(String label) {
        this.label = label;
    }

    /** The spelling used in profile files and JSON output. */
    public String label() {
        return label;
    }

    /** Whether a fact with this evidence must name at least one source. */
    public boolean needsSource() {
        return this == VENDOR || this == REPORTED || this == COMMUNITY_MEASURED || this == COMPUTED;
    }

    /** Whether a fact with this evidence must say how it was reasoned ({@code basis}). */
    public boolean needsBasis() {
        return this == ESTIMATE || this == COMPUTED;
    }

    public static Optional<Evidence> fromLabel(String label) {
        for (Evidence e : values()) {
            if (e.label.equals(label)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
