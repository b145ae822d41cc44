package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.UncheckedInterruptedException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The iterator and spliterator of a channel: {@code hasNext} receives the next element and holds
 * it for {@code next}. Not thread-safe: one iterator serves one consumer loop.
 *
 * @param <E> the element type
 */
final class ChannelIterator<E> implements Iterator<E>, Spliterator<E> {
    private final DefaultChannel<E> channel;

    /** The element received by hasNext and not yet returned by next. Confined to one thread. */
    private E next;

    /** Whether the channel was found closed and drained. Confined to one thread. */
    private boolean drained;

    ChannelIterator(DefaultChannel<E> channel) {
        this.channel = channel;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (drained) {
            return false;
        }
        ReceiveResult<E> result;
        try {
            result = channel.receiveOrClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedInterruptedException(e);
        }
        switch (result) {
            case ReceiveResult.Received<E> received -> {
                next = received.element();
                return true;
            }
            case ReceiveResult.Closed<E> closed -> {
                if (closed.cause() != null) {
                    throw channel.closedException();
                }
                drained = true;
                return false;
            }
        }
    }

    @Override
    public E next() {
        if (!hasNext()) {
            throw new NoSuchElementException("channel '" + channel.name() + "' is closed and drained");
        }
        E element = next;
        next = null;
        return element;
    }

    /* ---- Spliterator, for stream(): receives one element per tryAdvance, never splits ---- */

    @Override
    public boolean tryAdvance(Consumer<? super E> action) {
        if (!hasNext()) {
            return false;
        }
        action.accept(next());
        return true;
    }

    @Override
    public void forEachRemaining(Consumer<? super E> action) {
        while (tryAdvance(action)) {
            // each call receives and hands over one element
        }
    }

    @Override
    public Spliterator<E> trySplit() {
        return null;
    }

    @Override
    public long estimateSize() {
        return Long.MAX_VALUE;
    }

    @Override
    public int characteristics() {
        return ORDERED | NONNULL;
    }
}
