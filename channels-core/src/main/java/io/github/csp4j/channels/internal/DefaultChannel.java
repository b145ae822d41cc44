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
 * Every kind of channel: argument checks, interrupt and timeout handling, and the composition of
 * {@link CellChannel} (the elements) with a {@link PermitQueue} (the buffer slots, for a buffered
 * channel). The concurrency lives in those two classes; this one has no shared state of its own.
 *
 * @param <E> the element type
 */
final class DefaultChannel<E> implements Channel<E> {
    /*
     * Implementation notes
     *
     * Kinds. rendezvous: CellChannel in rendezvous mode, no permits. unbounded: CellChannel in
     * never-waiting mode, no permits. buffered(n): CellChannel in never-waiting mode plus a
     * PermitQueue with n permits. A buffered send takes a permit (waiting, in arrival order, while
     * none is free) and then puts its element into the cells, which never waits; a receive takes
     * an element from the cells and then returns a permit, which never waits. A permit is thus
     * held from the moment a sender is admitted until a receiver has taken an element, so no more
     * than n elements are ever buffered, and a sender waits only while n are.
     *
     * Interrupts. Checked once on entry of every blocking method; while waiting, Waiter decides.
     * A buffered send waits only in the PermitQueue; once it holds a permit it completes without
     * waiting, so an interrupt there either cancels the acquire (nothing sent) or arrives after it.
     *
     * Closing. close() and fail() close the cells first (which arbitrates between them and makes
     * every later send fail), then the permits, which wakes the senders waiting for one. A sender
     * that got a permit but finds the cells closed gives the permit back before it throws.
     *
     * Timeouts. A zero or negative timeout uses the try methods, which never wait and never leave
     * a cancelled cell behind; otherwise the deadline is computed once, on entry.
     */

    private final String name;
    private final String kind;
    private final CellChannel<E> cells;
    private final PermitQueue permits;

    DefaultChannel(String name, String kind, CellChannel<E> cells, PermitQueue permits) {
        this.name = name;
        this.kind = kind;
        this.cells = cells;
        this.permits = permits;
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
        if (permits == null) {
            return cells.send(element, deadline) == Signal.SENT;
        }
        Signal permit = permits.acquire(deadline);
        if (permit == Signal.TIMED_OUT) {
            return false;
        }
        if (permit == Signal.CLOSED) {
            throw cells.closedException();
        }
        return put(element);
    }

    @Override
    public boolean trySend(E element) {
        Objects.requireNonNull(element, "element");
        if (permits == null) {
            return cells.trySend(element);
        }
        if (cells.isClosedForSend()) {
            throw cells.closedException();
        }
        return permits.tryAcquire() == Signal.GRANTED && put(element);
    }

    /** Puts the element of a sender holding a permit into the cells, which never waits. */
    private boolean put(E element) {
        try {
            cells.put(element);
            return true;
        } catch (ChannelClosedException closed) {
            permits.release();
            throw closed;
        }
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

    /** Frees the buffer slot of an element just taken from the cells, and returns the element. */
    @SuppressWarnings("unchecked")
    private E received(Object element) {
        if (permits != null) {
            permits.release();
        }
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
        if (!cells.close(cause)) {
            return false;
        }
        if (permits != null) {
            permits.close();
        }
        return true;
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
        return "Channel[" + name + ", " + kind + ", " + state + ", " + cells
                + (permits != null ? ", " + permits : "") + "]";
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
