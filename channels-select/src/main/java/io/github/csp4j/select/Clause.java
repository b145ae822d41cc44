package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one implementation of {@link SelectClause}: what the clause waits for, and its callback.
 *
 * @param kind what the clause waits for
 * @param channel the channel of a receive or send clause, else {@code null}
 * @param operand the element of a send clause, the {@link Duration} of a timeout clause, else
 *     {@code null}. A timeout clause keeps the Duration it was given rather than a {@code long} of
 *     nanoseconds, so that a clause is 32 bytes, not 40 (JOL): 16 bytes less per select with two
 *     new channel clauses (SelectBenchmark's select2Receive, benchmarks/RESULTS.md, "A
 *     registration's cell in one place, and clauses without a long")
 * @param then the callback: a {@link Function} of the element or the {@link ReceiveResult} for
 *     receive clauses, a {@link Supplier} for the others
 * @param <R> the type of the callback's result
 */
record Clause<R>(Kind kind, Object channel, Object operand, Object then) implements SelectClause<R> {

    /** What a clause waits for. */
    enum Kind {
        RECEIVE,
        RECEIVE_OR_CLOSED,
        SEND,
        TIMEOUT,
        DEFAULT
    }

    /**
     * {@return the timeout of a {@link Kind#TIMEOUT} clause in nanoseconds} A duration too long for
     * a {@code long} saturates to {@link Long#MAX_VALUE}, or {@link Long#MIN_VALUE} if negative.
     */
    long timeoutNanos() {
        assert kind == Kind.TIMEOUT : kind;
        Duration after = (Duration) operand;
        if (after.compareTo(LONGEST) > 0) {
            return Long.MAX_VALUE; // compared with the edges, so no overflow is thrown and caught
        }
        return after.compareTo(SHORTEST) < 0 ? Long.MIN_VALUE : after.toNanos();
    }

    /** The longest duration a {@code long} of nanoseconds holds. */
    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    /** The most negative duration a {@code long} of nanoseconds holds. */
    private static final Duration SHORTEST = Duration.ofNanos(Long.MIN_VALUE);

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
            case SEND -> "onSend(" + channel + ", " + operand + ")";
            case TIMEOUT -> "onTimeout(" + timeoutNanos() + " ns)";
            case DEFAULT -> "orElse";
        };
    }
}
