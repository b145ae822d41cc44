package io.github.csp4j.channels;

import java.io.Serial;
import java.util.Objects;

/**
 * Thrown by a channel's {@linkplain ReceiveChannel#iterator() iterator} and
 * {@linkplain ReceiveChannel#stream() stream}, which cannot throw the checked
 * {@link InterruptedException}, when the thread is interrupted while it waits for the next element,
 * or was already interrupted when it asked for one.
 *
 * <p>{@link #getCause()} is the {@link InterruptedException}. The thread's interrupt status is set
 * again before this exception is thrown, so the next blocking call in the thread (a
 * {@code join}, a {@code receive}) sees the interrupt too. No element was consumed by the
 * interrupted call.
 */
public class UncheckedInterruptedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Wraps an {@link InterruptedException}.
     *
     * @param cause the interrupt that ended the wait
     * @throws NullPointerException if {@code cause} is {@code null}
     */
    public UncheckedInterruptedException(InterruptedException cause) {
        super(Objects.requireNonNull(cause, "cause").getMessage(), cause);
    }

    /** {@return the interrupt that ended the wait} */
    @Override
    public synchronized InterruptedException getCause() {
        return (InterruptedException) super.getCause();
    }
}
