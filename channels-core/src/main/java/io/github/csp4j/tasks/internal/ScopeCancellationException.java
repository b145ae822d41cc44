package io.github.csp4j.tasks.internal;

import java.io.Serial;
import java.util.concurrent.CancellationException;

/**
 * The CancellationException csp4j raises for a scope's cancellation: what {@code join} throws
 * when a scope was cancelled with its parent, and the cause it gives to the exception of a fork
 * refused by a cancelled scope and to a channel failed by a cancelled producer.
 * DefaultTaskScope.isCancellation counts an exception caused by one of these as a cancellation,
 * and one caused by any other CancellationException (a body's own, or that of a task that threw
 * one, passed on by {@code Task.get()}) as a failure.
 */
final class ScopeCancellationException extends CancellationException {
    @Serial
    private static final long serialVersionUID = 1L;

    ScopeCancellationException(String message) {
        super(message);
    }
}
