package io.github.csp4j.tasks.internal;

import java.io.Serial;

/**
 * What {@code Task.get()} throws for a failed task: an IllegalStateException whose cause is the
 * task's exception. DefaultTaskScope.isCancellation never counts it as a cancellation, whatever
 * that cause is (a CancellationException the task threw, or the one a nested join threw when
 * cancelled with its parent): a task that throws it passes on a failure, which its scope reports.
 */
final class TaskGetException extends IllegalStateException {
    @Serial
    private static final long serialVersionUID = 1L;

    TaskGetException(String message, Throwable cause) {
        super(message, cause);
    }
}
