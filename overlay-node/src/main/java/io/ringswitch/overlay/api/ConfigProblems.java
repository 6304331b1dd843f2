package io.ringswitch.overlay.api;

import java.util.ArrayList;
import java.util.List;

/** The problems found while checking one config, gathered so that the operator sees all of them at once. */
final class ConfigProblems {
    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Notes that {@code path} holds {@code value} (null: nothing) where {@code fix} says what is valid. */
    void add(String path, Object value, String fix) {
        problems.add(new ConfigProblem(path, value == null ? null : String.valueOf(value), fix));
    }

    void add(ConfigProblem problem) {
        problems.add(problem);
    }

    int size() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<ConfigProblem> list() {
        return List.copyOf(problems);
    }
}
