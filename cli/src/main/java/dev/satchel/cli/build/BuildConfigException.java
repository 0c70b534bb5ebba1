package dev.satchel.cli.build;

import java.util.List;
import java.util.stream.Collectors;

/** A satchel.yaml with problems; carries all of them, each with file:line and a code. */
public final class BuildConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigProblem> problems;

    public BuildConfigException(List<ConfigProblem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in "
                + problems.get(0).file() + ":\n" + problems.stream().map(ConfigProblem::toString)
                        .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
