package io.github.csp4j.channels;

import java.io.Serial;
import java.util.Objects;

/**
 * Thrown by an operation on a channel that is closed for it: a send on a channel that was
 * {@linkplain SendChannel#close() closed} or {@linkplain SendChannel#fail(Throwable) failed}, or a
 * receive on a channel that was closed and has been drained, or failed.
 *
 * <p>After {@link SendChannel#fail(Throwable) fail(cause)}, {@link #getCause()} returns
 * {@code cause}; after a plain {@link SendChannel#close() close()} it returns {@code null}. The
 * message names the channel, so that a stack trace says which channel of a pipeline ended, and
 * the cause as its {@code toString()} shows it; a cause whose {@code toString()} throws is named
 * by its class, and the exception is made all the same.
 */
public class ChannelClosedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String channelName;

    /**
     * Creates an exception for a channel that was closed without a cause.
     *
     * @param channelName the name of the closed channel
     * @throws NullPointerException if {@code channelName} is {@code null}
     */
    public ChannelClosedException(String channelName) {
        super("channel '" + Objects.requireNonNull(channelName, "channelName") + "' is closed");
        this.channelName = channelName;
    }

    /**
     * Creates an exception for a channel that was failed with {@code cause}.
     *
     * @param channelName the name of the failed channel
     * @param cause the cause given to {@link SendChannel#fail(Throwable)}
     * @throws NullPointerException if {@code channelName} or {@code cause} is {@code null}
     */
    public ChannelClosedException(String channelName, Throwable cause) {
        super(
                "channel '" + Objects.requireNonNull(channelName, "channelName") + "' failed: "
                        + shown(Objects.requireNonNull(cause, "cause")),
                cause);
        this.channelName = channelName;
    }

    /**
     * {@return the cause's {@code toString()}, or its class's name if that throws} Every operation
     * on a failed channel makes one of these exceptions, a select while it holds registrations:
     * the user's code in the cause must not make it throw something else.
     */
    private static String shown(Throwable cause) {
        try {
            return cause.toString();
        } catch (Throwable unreadable) { // also one thrown sneakily
            return cause.getClass().getName() + " (its toString() threw " + unreadable.getClass().getName() + ")";
        }
    }

    /** {@return the name of the channel that is closed} */
    public String channelName() {
        return channelName;
    }
}
