package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every kind of channel: argument checks, interrupt and timeout handling, and the translation of
 * {@link CellChannel}'s results into the API's values and exceptions. The concurrency lives in
 * {@link CellChannel} and {@link PermitQueue}; this class has no shared state of its own.
 *
 * @param <E> the element type
 */
final class DefaultChannel<E> implements Channel<E> {
    /*
     * Implementation notes
     *
     * Interrupts. Checked once on entry of every blocking method, as BlockingQueue does; while
     * waiting, Waiter decides whether the interrupt or the operation won.
     *
     * Timeouts. A zero or negative timeout uses the try methods, which never wait and never leave
     * a cancelled cell behind; otherwise the deadline is computed once, on entry, and shared by
     * every retry inside the cells.
     *
     * Durations too long for a long of nanoseconds saturate to "no deadline".
     */

    private final String name;
    private final String kind;
    private final CellChannel<E> cells;

    DefaultChannel(String name, String kind, CellChannel<E> cells) {
        this.name = name;
        this.kind = kind;
        this.cells = cells;
    }

    @Override
    public String name() {
        return name;
    }

    /* ---- send ---- */

    @Override
    public void send(E element) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        send(element, Waiter.NO_DEADLINE);
    }

    @Override
    public boolean send(E element, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(element, "element");
        long nanos = toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        return nanos <= 0 ? trySend(element) : send(element, Waiter.deadline(nanos));
    }

    private boolean send(E element, long deadline) throws InterruptedException {
        return cells.send(element, deadline) == Signal.SENT;
    }

    @Override
    public boolean trySend(E element) {
        Objects.requireNonNull(element, "element");
        return cells.trySend(element);
    }

    /* ---- receive ---- */

    @Override
    public E receive() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Object result = cells.receive(Waiter.NO_DEADLINE);
        if (result == Signal.CLOSED) {
            throw cells.closedException();
        }
        return received(result);
    }

    @Override
    public E receive(Duration timeout) throws InterruptedException {
        long nanos = toNanos(timeout);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos <= 0) {
            return tryReceive();
        }
        Object result = cells.receive(Waiter.deadline(nanos));
        if (result == Signal.TIMED_OUT) {
            return null;
        }
        if (result == Signal.CLOSED) {
            throw cells.closedException();
        }
        return received(result);
    }

    @Override
    public E tryReceive() {
        Object result = cells.tryReceive();
        if (result == Signal.WOULD_BLOCK) {
            return null;
        }
        if (result == Signal.CLOSED) {
            throw cells.closedException();
        }
        return received(result);
    }

    @Override
    public ReceiveResult<E> receiveOrClosed() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Object result = cells.receive(Waiter.NO_DEADLINE);
        if (result == Signal.CLOSED) {
            return new ReceiveResult.Closed<>(cells.failureCause());
        }
        return new ReceiveResult.Received<>(received(result));
    }

    @SuppressWarnings("unchecked")
    private static <E> E received(Object element) {
        return (E) element;
    }

    /* ---- close ---- */

    @Override
    public boolean close() {
        return close(null);
    }

    @Override
    public boolean fail(Throwable cause) {
        return close(Objects.requireNonNull(cause, "cause"));
    }

    private boolean close(Throwable cause) {
        return cells.close(cause);
    }

    @Override
    public boolean isClosedForSend() {
        return cells.isClosedForSend();
    }

    @Override
    public boolean isClosedForReceive() {
        return cells.isClosedForReceive();
    }

    /** {@return the exception for an operation that found this channel closed} */
    ChannelClosedException closedException() {
        return cells.closedException();
    }

    /** {@return the cells of this channel, for a select} */
    CellChannel<E> cells() {
        return cells;
    }

    /* ---- iteration ---- */

    @Override
    public Iterator<E> iterator() {
        return new ChannelIterator<>(this);
    }

    @Override
    public Stream<E> stream() {
        return StreamSupport.stream(new ChannelIterator<>(this), false);
    }

    @Override
    public String toString() {
        String state = cells.isClosedForReceive() ? "closed"
                : cells.isClosedForSend() ? "closing" : "open";
        return "Channel[" + name + ", " + kind + ", " + state + ", " + cells + "]";
    }

    /**
     * {@return {@code timeout} in nanoseconds, saturated to {@code Long.MAX_VALUE} or
     * {@code Long.MIN_VALUE}}
     *
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    static long toNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return timeout.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
