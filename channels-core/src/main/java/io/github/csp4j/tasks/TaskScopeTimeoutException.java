package io.github.csp4j.tasks;

import java.io.Serial;
import java.time.Duration;

/**
 * Thrown by {@link TaskScope#join()} when the scope's deadline passed before its tasks ended: the
 * scope was cancelled, and every task has ended by the time this is thrown. Failures of tasks, if
 * any, are attached with {@link #addSuppressed(Throwable)}. The message names the scope.
 */
public class TaskScopeTimeoutException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String scopeName;

    /**
     * Creates the exception for the scope {@code scopeName} with deadline {@code timeout}.
     *
     * @param scopeName the scope's name
     * @param timeout the scope's timeout
     */
    public TaskScopeTimeoutException(String scopeName, Duration timeout) {
        super("scope '" + scopeName + "' did not finish within " + timeout + "; its tasks were cancelled");
        this.scopeName = scopeName;
    }

    /** {@return the name of the scope that timed out} */
    public String scopeName() {
        return scopeName;
    }
}
