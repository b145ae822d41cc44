package io.github.csp4j.tasks;

/**
 * A task forked in a {@link TaskScope}: its name, its state, and once it has ended its result or
 * exception.
 *
 * <p>Memory visibility: the task body happens-before {@link TaskScope#join()} returns (or throws),
 * so after {@code join} the result and the exception are safely visible.
 *
 * @param <T> the type of the task's result
 */
public interface Task<T> {
    /** What a task has come to. */
    enum State {
        /** Forked and not yet ended: waiting to start, or running. */
        RUNNING,
        /** Returned a result. */
        SUCCEEDED,
        /**
         * Threw an exception that was not caused by the scope's cancellation, or one that was but
         * carries a failure that a scope opened in the task reported (see {@link TaskScope}).
         */
        FAILED,
        /** Never ran because its scope was cancelled first, or ended because of that cancellation. */
        CANCELLED
    }

    /**
     * {@return the task's name: the one given to {@code fork}, or {@code task-N} if none was}
     * Names are not checked for uniqueness: two forks may give the same one. The task's thread's
     * name ends with it.
     */
    String name();

    /** {@return the task's state now} */
    State state();

    /**
     * {@return the task's result}
     *
     * @throws IllegalStateException if the task has not succeeded (it is still running, failed or
     *     was cancelled); after a failure its cause is the task's exception
     */
    T get();

    /**
     * {@return the exception the task failed with, or the one it ended with when cancelled; or
     * {@code null} if it is running, succeeded, or was cancelled before it ran}
     */
    Throwable exception();
}
