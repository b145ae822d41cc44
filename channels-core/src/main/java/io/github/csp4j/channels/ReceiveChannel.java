package io.github.csp4j.channels;

import java.time.Duration;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.stream.Stream;

/**
 * The receiving side of a {@link Channel}: a pipeline stage that only consumes holds a
 * {@code ReceiveChannel}.
 *
 * <p>A consumer loop is a for-each loop over the channel: it waits for each element and ends when
 * the channel is closed and drained.
 *
 * {@snippet class=io.github.csp4j.channels.ChannelSnippets region=consumerLoop}
 *
 * @param <E> the element type
 * @see Channel
 */
public interface ReceiveChannel<E> extends Iterable<E> {

    /**
     * Receives the next element, waiting until one is available.
     *
     * <p><b>Blocking.</b> Waits while the channel is empty and open. Blocked receivers are served
     * in the order they arrived.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@link InterruptedException} with the interrupt status cleared and the operation had
     * no effect; if the operation completed concurrently with the interrupt, it returns normally
     * with the interrupt status still set.
     *
     * <p><b>Closed channel.</b> After {@link SendChannel#close() close()} the elements already
     * sent are still received; once the channel is drained, this method throws
     * {@link ChannelClosedException}, also in receivers waiting at that moment. After
     * {@link SendChannel#fail(Throwable) fail(cause)} it throws at once, with cause
     * {@code cause}.
     *
     * <p><b>Memory visibility.</b> Actions before {@code send(e)} happen-before actions after the
     * {@code receive()} that returns {@code e}.
     *
     * @return the element, never {@code null}
     * @throws ChannelClosedException if the channel is closed and drained, or failed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    E receive() throws InterruptedException;

    /**
     * Receives the next element, waiting at most {@code timeout} for one.
     *
     * <p><b>Blocking.</b> As {@link #receive()}, but gives up once {@code timeout} has elapsed. A
     * zero or negative timeout means "do not wait". A timeout too large to represent in
     * nanoseconds waits without limit.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@link InterruptedException} with the interrupt status cleared and the operation had
     * no effect; if the operation completed concurrently with the interrupt, it returns normally
     * with the interrupt status still set.
     *
     * <p><b>Closed channel.</b> As {@link #receive()}: throws {@link ChannelClosedException} once
     * the channel is closed and drained, or failed.
     *
     * <p><b>Memory visibility.</b> Actions before {@code send(e)} happen-before actions after the
     * {@code receive(timeout)} that returns {@code e}.
     *
     * @param timeout how long to wait at most
     * @return the element, or {@code null} if the timeout elapsed first, in which case nothing was
     *     received
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws ChannelClosedException if the channel is closed and drained, or failed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    E receive(Duration timeout) throws InterruptedException;

    /**
     * Receives an element only if one is available now. Never blocks and ignores the thread's
     * interrupt status, unless the JVM is out of memory ({@link Channel}, "Errors of the JVM").
     *
     * @implNote While a sender is in the middle of sending, this method may return {@code null}
     *     although that sender's element is about to arrive.
     * @return the element, or {@code null} if none is available now
     * @throws ChannelClosedException if the channel is closed and drained, or failed
     */
    E tryReceive();

    /**
     * Receives the next element, or reports that the channel is closed, without throwing for the
     * closure. This is the receive for loops that must tell "closed" from "failed".
     *
     * <p><b>Blocking.</b> As {@link #receive()}.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@link InterruptedException} with the interrupt status cleared and the operation had
     * no effect; if the operation completed concurrently with the interrupt, it returns normally
     * with the interrupt status still set.
     *
     * <p><b>Closed channel.</b> Returns {@link ReceiveResult.Closed} once the channel is closed
     * and drained (with a {@code null} cause) or failed (with the cause given to
     * {@link SendChannel#fail(Throwable)}), and keeps returning it.
     *
     * <p><b>Memory visibility.</b> Actions before {@code send(e)} happen-before actions after the
     * {@code receiveOrClosed()} that returns {@code e}; {@code close()} and {@code fail(cause)}
     * happen-before a call that returns {@link ReceiveResult.Closed}.
     *
     * @return {@link ReceiveResult.Received} with the element, or {@link ReceiveResult.Closed}
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    ReceiveResult<E> receiveOrClosed() throws InterruptedException;

    /**
     * {@return {@code true} if no element will ever be received: the channel was failed, or was
     * closed and is drained} While it returns {@code false}, a receive may still return an element.
     * After a {@code close()}, a send that overlaps the close and has not yet placed its element
     * may be settled by this call: that send then throws {@link ChannelClosedException}, one of
     * the two outcomes an overlapping send can have. The channel's {@code toString} settles no
     * send: it says {@code closing} while such a send, or a buffered element, is left.
     */
    boolean isClosedForReceive();

    /**
     * Returns an iterator that receives the channel's elements, for a consumer loop.
     *
     * <p><b>Blocking.</b> {@code hasNext()} waits for the next element, as {@link #receive()} does,
     * and returns {@code false} once the channel is closed and drained. The element it takes is
     * held by the iterator and returned by the following {@code next()}; an iterator abandoned
     * after {@code hasNext()} returned {@code true} drops that element, so use one iterator per
     * consumer loop, in one thread at a time (an iterator is not thread-safe: two threads sharing
     * one may both get the element it holds, or {@code null}). {@code remove()} is not supported.
     *
     * <p><b>Interruption.</b> If a call to {@code hasNext()} or {@code next()} receives from the
     * channel (the iterator holds no element and iteration has not ended) and the thread is
     * interrupted on entry or while waiting, the call throws {@link UncheckedInterruptedException}
     * with the thread's interrupt status set again, and no element was consumed; the loop can be
     * resumed later with the same iterator. A call that returns the element the iterator already
     * holds, or {@code false} again once iteration has ended, does not receive, and leaves the
     * interrupt status as it is.
     *
     * <p><b>Closed channel.</b> Iteration ends normally after {@link SendChannel#close() close()}
     * once the channel is drained. After {@link SendChannel#fail(Throwable) fail(cause)},
     * {@code hasNext()} throws {@link ChannelClosedException} with cause {@code cause}.
     *
     * <p><b>Memory visibility.</b> Actions before {@code send(e)} happen-before actions after the
     * {@code next()} that returns {@code e}.
     *
     * @return an iterator over the elements as they arrive
     */
    @Override
    Iterator<E> iterator();

    /**
     * Returns a sequential stream of the channel's elements as they arrive, which ends when the
     * channel is closed and drained. Its terminal operation blocks like {@link #iterator()}, and
     * it receives an element only when the pipeline asks for one, so a short-circuiting operation
     * such as {@code limit(n)} leaves the rest in the channel.
     *
     * <p><b>Blocking.</b> As {@link #iterator()}.
     *
     * <p><b>Interruption.</b> The terminal operation throws {@link UncheckedInterruptedException}
     * with the interrupt status set again, as {@link #iterator()} does.
     *
     * <p><b>Closed channel.</b> The stream ends after {@link SendChannel#close() close()} once
     * the channel is drained; after {@link SendChannel#fail(Throwable) fail(cause)} the terminal
     * operation throws {@link ChannelClosedException} with cause {@code cause}.
     *
     * <p><b>Memory visibility.</b> As {@link #iterator()}.
     *
     * <p>Keep it sequential: made {@linkplain java.util.stream.BaseStream#parallel() parallel}, a
     * pipeline may receive elements ahead of need and drop those it does not deliver (an
     * unordered {@code limit(n)}, for one), or receive until the channel ends where a sequential
     * one would stop (an ordered {@code distinct()}).
     *
     * @return an ordered, non-null, sequential stream of the elements
     */
    Stream<E> stream();

    /**
     * Returns the spliterator that {@link #stream()} is made of: {@link Spliterator#ORDERED} and
     * {@link Spliterator#NONNULL}, of unknown size, and never split ({@code trySplit()} returns
     * {@code null}), so that it receives an element only when {@code tryAdvance} or
     * {@code forEachRemaining} asks for one, and never takes a batch at a split, as the default of
     * {@link Iterable} would (1,024 elements at the first split, more at the next), keeping them.
     * (A parallel pipeline's own operations may still receive ahead: see {@link #stream()}.)
     *
     * <p><b>Blocking.</b> {@code tryAdvance} waits for the next element as {@link #receive()}
     * does, and returns {@code false} once the channel is closed and drained.
     *
     * <p><b>Interruption</b>, <b>Closed channel</b> and <b>Memory visibility.</b> As
     * {@link #iterator()}.
     *
     * @return a spliterator over the elements as they arrive
     */
    @Override
    Spliterator<E> spliterator();
}
