package dev.satchel.devices;

import java.util.List;

/**
 * A profile (or catalogue) that cannot be used. Carries every problem found, not only the first,
 * each with file, line and a stable {@link ProfileProblem.Code}. The message is the first problem
 * plus a count of the others.
 */
public final class ProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ProfileProblem> problems;

    public ProfileException(List<ProfileProblem> problems) {
        this(problems, null);
    }

    public ProfileException(List<ProfileProblem> problems, Throwable cause) {
        super(summary(problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** All problems, in file order. Never empty. */
    public List<ProfileProblem> problems() {
        return problems;
    }

    private static String summary(List<ProfileProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ProfileException needs at least one problem");
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more problems)";
    }
}
