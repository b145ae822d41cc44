package io.github.csp4j.channels;

import java.util.Objects;

/**
 * The outcome of a closed-aware receive such as {@link ReceiveChannel#receiveOrClosed()}: either an
 * element, or the news that the channel is closed and nothing more will arrive.
 *
 * <p>It is meant for pattern matching, where the compiler checks that both outcomes are handled:
 *
 * {@snippet class=io.github.csp4j.channels.ChannelSnippets region=receiveOrClosed}
 *
 * @param <E> the element type
 */
public sealed interface ReceiveResult<E> {

    /**
     * An element was received.
     *
     * @param element the element, never {@code null}
     * @param <E> the element type
     */
    record Received<E>(E element) implements ReceiveResult<E> {
        /**
         * Creates the result for a received element.
         *
         * @throws NullPointerException if {@code element} is {@code null}
         */
        public Received {
            Objects.requireNonNull(element, "element");
        }
    }

    /**
     * The channel is closed and drained, or failed: no element will ever be received from it.
     *
     * @param cause the cause given to {@link SendChannel#fail(Throwable)}, or {@code null} if the
     *     channel was closed with {@link SendChannel#close()}
     * @param <E> the element type
     */
    record Closed<E>(Throwable cause) implements ReceiveResult<E> {}
}
