package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one implementation of {@link SelectClause}: what the clause waits for, and its callback.
 *
 * @param kind what the clause waits for
 * @param channel the channel of a receive or send clause, else {@code null}
 * @param element the element of a send clause, else {@code null}
 * @param timeoutNanos the timeout of an {@link Kind#TIMEOUT} clause, saturated
 * @param then the callback: a {@link Function} of the element or the {@link ReceiveResult} for
 *     receive clauses, a {@link Supplier} for the others
 * @param <R> the type of the callback's result
 */
record Clause<R>(Kind kind, Object channel, Object element, long timeoutNanos, Object then)
        implements SelectClause<R> {

    /** What a clause waits for. */
    enum Kind {
        RECEIVE,
        RECEIVE_OR_CLOSED,
        SEND,
        TIMEOUT,
        DEFAULT
    }

    /** {@return the callback's result for a receive clause that received {@code element}} */
    @SuppressWarnings("unchecked")
    R received(Object element) {
        return switch (kind) {
            case RECEIVE -> ((Function<Object, R>) then).apply(element);
            case RECEIVE_OR_CLOSED -> ((Function<ReceiveResult<Object>, R>) then)
                    .apply(new ReceiveResult.Received<>(element));
            default -> throw new IllegalStateException(kind + " clause received an element");
        };
    }

    /**
     * {@return the callback's result for a channel clause that completed by finding its channel
     * closed} A closed-aware receive fires with the closed result.
     *
     * @throws ChannelClosedException {@code closure}, for every other clause
     */
    @SuppressWarnings("unchecked")
    R closed(ChannelClosedException closure) {
        if (kind != Kind.RECEIVE_OR_CLOSED) {
            throw closure;
        }
        return ((Function<ReceiveResult<Object>, R>) then).apply(new ReceiveResult.Closed<>(closure.getCause()));
    }

    /** {@return the callback's result for a send, timeout or default clause} */
    @SuppressWarnings("unchecked")
    R fired() {
        return ((Supplier<R>) then).get();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case RECEIVE -> "onReceive(" + channel + ")";
            case RECEIVE_OR_CLOSED -> "onReceiveOrClosed(" + channel + ")";
            case SEND -> "onSend(" + channel + ", " + element + ")";
            case TIMEOUT -> "onTimeout(" + timeoutNanos + " ns)";
            case DEFAULT -> "orElse";
        };
    }
}
