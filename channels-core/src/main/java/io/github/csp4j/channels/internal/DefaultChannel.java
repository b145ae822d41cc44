package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveResult;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every kind of channel: argument checks, interrupt and timeout handling, and the translation of
 * {@link CellChannel}'s results into the API's values and exceptions. The concurrency lives in
 * {@link CellChannel}, which this class extends so that a channel is one object, and in
 * {@link PermitQueue}; this class has no state of its own.
 *
 * @param <E> the element type
 */
final class DefaultChannel<E> extends CellChannel<E> implements Channel<E> {
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

    /**
     * @param name the channel's name, or null to generate one when first asked
     * @param rendezvous whether a sender waits for its receiver
     * @param capacity a buffered channel's capacity (at least 1), else 0
     */
    DefaultChannel(String name, boolean rendezvous, int capacity) {
        super(name, rendezvous, capacity);
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
        return nanos <= 0 ? trySend(element) : send(element, Waiter.deadline(nanos)) == Signal.SENT;
    }

    @Override
    public boolean trySend(E element) {
        Objects.requireNonNull(element, "element");
        return trySendNow(element);
    }

    /* ---- receive ---- */

    @Override
    public E receive() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Object result = receive(Waiter.NO_DEADLINE);
        if (result == Signal.CLOSED) {
            throw closedException();
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
        Object result = receive(Waiter.deadline(nanos));
        if (result == Signal.TIMED_OUT) {
            return null;
        }
        if (result == Signal.CLOSED) {
            throw closedException();
        }
        return received(result);
    }

    @Override
    public E tryReceive() {
        Object result = tryReceiveNow();
        if (result == Signal.WOULD_BLOCK) {
            return null;
        }
        if (result == Signal.CLOSED) {
            throw closedException();
        }
        return received(result);
    }

    @Override
    public ReceiveResult<E> receiveOrClosed() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Object result = receive(Waiter.NO_DEADLINE);
        if (result == Signal.CLOSED) {
            return new ReceiveResult.Closed<>(failureCause());
        }
        E element = received(result);
        while (true) {
            try {
                return new ReceiveResult.Received<>(element);
            } catch (OutOfMemoryError e) {
                // The element is out of the channel: thrown away with the error, it would be lost.
                // Wait for memory as a ticket's segment does (Segment.findAndMoveForward).
                Segment.awaitMemory(this);
            }
        }
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

    /* ---- iteration ---- */

    @Override
    public Iterator<E> iterator() {
        return new ChannelIterator<>(this);
    }

    @Override
    public Stream<E> stream() {
        return StreamSupport.stream(spliterator(), false);
    }

    @Override
    public Spliterator<E> spliterator() {
        return new ChannelIterator<>(this);
    }

    @Override
    public String toString() {
        String state = !isClosedForSend() ? "open" : mayStillDeliver() ? "closing" : "closed";
        String waiting = waitingThreads().describe();
        return "Channel[" + name() + ", " + kind() + ", " + state + waiting + ", " + super.toString() + "]";
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
