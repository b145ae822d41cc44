package io.github.csp4j.tasks;

import java.io.Serial;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link TaskScope#join()} when the scope's deadline passed before its tasks ended: the
 * scope was cancelled, and every task has ended by the time this is thrown. Failures of tasks, if
 * any, are attached with {@link #addSuppressed(Throwable)}. The message names the scope and the
 * tasks still running at the deadline ({@link #unfinishedTasks()}): the ones that kept the scope
 * waiting.
 */
public class TaskScopeTimeoutException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String scopeName;

    private final String[] unfinishedTasks;

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, naming
     * no unfinished task.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout) {
        this(scopeName, timeout, List.of());
    }

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, whose
     * tasks {@code unfinishedTasks} were still running when it passed.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @param unfinishedTasks the names of the tasks still running at the deadline, in fork
     *     order
     * @throws NullPointerException if {@code unfinishedTasks} or an element is {@code null}
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout, List<String> unfinishedTasks) {
        super(message(scopeName, timeout, unfinishedTasks));
        this.scopeName = scopeName;
        this.unfinishedTasks = unfinishedTasks.toArray(String[]::new);
    }

    private static String message(String scopeName, Duration timeout, List<String> unfinishedTasks) {
        Objects.requireNonNull(unfinishedTasks, "unfinishedTasks");
        for (int i = 0; i < unfinishedTasks.size(); i++) {
            Objects.requireNonNull(unfinishedTasks.get(i), "unfinishedTasks[" + i + "]");
        }
        String running = unfinishedTasks.isEmpty() ? "" : "; still running then: " + unfinishedTasks;
        return "scope '" + scopeName + "' did not finish within " + timeout + running + "; its tasks were cancelled";
    }

    /** {@return the name of the scope that timed out} */
    public String scopeName() {
        return scopeName;
    }

    /** {@return the names of the tasks still running when the deadline passed, in fork order} */
    public List<String> unfinishedTasks() {
        return List.of(unfinishedTasks);
    }
}
