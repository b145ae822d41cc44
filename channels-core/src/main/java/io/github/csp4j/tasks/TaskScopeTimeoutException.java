package io.github.csp4j.tasks;

import java.io.Serial;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link TaskScope#join()} when the scope's deadline passed before its tasks ended: the
 * scope was cancelled, and every task has ended by the time this is thrown. Failures of tasks, if
 * any, are attached with {@link #addSuppressed(Throwable)}. The message names the scope and the
 * tasks that had not ended when {@code join} found the deadline passed
 * ({@link #unfinishedTasks()}): the ones that kept it waiting.
 */
public class TaskScopeTimeoutException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Unfinished tasks named in the message; the rest are counted. */
    private static final int NAMED = 8;

    private final String scopeName;

    /** Null in an instance read from a stream written before this field. */
    private final String[] unfinishedTasks;

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, naming
     * no unfinished task.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @throws NullPointerException if an argument is {@code null}
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout) {
        this(scopeName, timeout, new String[0]);
    }

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}, whose
     * tasks {@code unfinishedTasks} had not ended when the deadline was found passed.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     * @param unfinishedTasks the names of the tasks not yet ended (running, or waiting to start)
     *     then, in fork order; copied
     * @throws NullPointerException if an argument or an element is {@code null}
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout, List<String> unfinishedTasks) {
        this(scopeName, timeout, Objects.requireNonNull(unfinishedTasks, "unfinishedTasks").toArray(String[]::new));
    }

    private TaskScopeTimeoutException(String scopeName, Duration timeout, String[] unfinishedTasks) {
        super(message(scopeName, timeout, unfinishedTasks));
        this.scopeName = scopeName;
        this.unfinishedTasks = unfinishedTasks;
    }

    /** Checks the arguments, the copy of the names included, and says what timed out. */
    private static String message(String scopeName, Duration timeout, String[] unfinishedTasks) {
        Objects.requireNonNull(scopeName, "scopeName");
        Objects.requireNonNull(timeout, "timeout");
        for (int i = 0; i < unfinishedTasks.length; i++) {
            Objects.requireNonNull(unfinishedTasks[i], "unfinishedTasks[" + i + "]");
        }
        String running = "";
        if (unfinishedTasks.length > 0) {
            List<String> named = Arrays.asList(unfinishedTasks).subList(0, Math.min(NAMED, unfinishedTasks.length));
            String more = unfinishedTasks.length > NAMED ? " and " + (unfinishedTasks.length - NAMED) + " more" : "";
            running = "; unfinished then: " + named + more;
        }
        return "scope '" + scopeName + "' did not finish within " + timeout + running + "; its tasks were cancelled";
    }

    /** {@return the name of the scope that timed out} */
    public String scopeName() {
        return scopeName;
    }

    /**
     * {@return the names of the tasks that had not ended (running, or waiting to start) when
     * {@code join} found the deadline passed, in fork order}
     */
    public List<String> unfinishedTasks() {
        return unfinishedTasks == null ? List.of() : List.of(unfinishedTasks);
    }
}
