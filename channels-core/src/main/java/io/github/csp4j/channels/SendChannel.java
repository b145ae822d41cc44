package io.github.csp4j.channels;

import java.time.Duration;

/**
 * The sending side of a {@link Channel}: a pipeline stage that only produces holds a
 * {@code SendChannel}, so it cannot take elements meant for its consumers.
 *
 * <p>Elements are never {@code null}. A sender that is done closes the channel with
 * {@link #close()}; a sender that failed passes its failure on with {@link #fail(Throwable)}.
 *
 * @param <E> the element type
 * @see Channel
 */
public interface SendChannel<E> {

    /**
     * Sends {@code element}, waiting as long as the channel has no room for it.
     *
     * <p><b>Blocking.</b> A rendezvous channel returns once a receiver has taken the element; a
     * buffered channel returns once the element is in its buffer, waiting while the buffer holds
     * {@code capacity} elements; an unbounded channel never waits. Blocked senders are served in
     * the order they began to wait.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@link InterruptedException} with the interrupt status cleared and the operation had
     * no effect; if the operation completed concurrently with the interrupt, it returns normally
     * with the interrupt status still set.
     *
     * <p><b>Closed channel.</b> If the channel is closed or failed on entry, or while this call
     * waits, it throws {@link ChannelClosedException} and the element was not sent: the caller
     * still owns it. After {@link #fail(Throwable) fail(cause)} the exception's cause is
     * {@code cause}.
     *
     * <p><b>Memory visibility.</b> Actions before {@code send(e)} happen-before actions after the
     * {@code receive()} that returns {@code e}.
     *
     * @param element the element to send
     * @throws NullPointerException if {@code element} is {@code null}; nothing is sent
     * @throws ChannelClosedException if the channel is closed or failed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    void send(E element) throws InterruptedException;

    /**
     * Sends {@code element}, waiting at most {@code timeout} for room in the channel.
     *
     * <p><b>Blocking.</b> As {@link #send(Object)}, but gives up once {@code timeout} has elapsed.
     * A zero or negative timeout means "do not wait": the element is sent only if it can be at
     * once. A timeout too large to represent in nanoseconds waits without limit.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@link InterruptedException} with the interrupt status cleared and the operation had
     * no effect; if the operation completed concurrently with the interrupt, it returns normally
     * with the interrupt status still set.
     *
     * <p><b>Closed channel.</b> If the channel is closed or failed on entry, or while this call
     * waits, it throws {@link ChannelClosedException} and the element was not sent.
     *
     * <p><b>Memory visibility.</b> Actions before a successful {@code send(e, timeout)}
     * happen-before actions after the {@code receive()} that returns {@code e}.
     *
     * @param element the element to send
     * @param timeout how long to wait at most
     * @return {@code true} if the element was sent; {@code false} if the timeout elapsed first, in
     *     which case nothing was sent
     * @throws NullPointerException if {@code element} or {@code timeout} is {@code null}
     * @throws ChannelClosedException if the channel is closed or failed
     * @throws InterruptedException if the thread is interrupted on entry or while waiting
     */
    boolean send(E element, Duration timeout) throws InterruptedException;

    /**
     * Sends {@code element} only if that can be done without waiting: a receiver is waiting, or the
     * buffer has room. Never blocks and ignores the thread's interrupt status, unless the JVM is
     * out of memory ({@link Channel}, "Errors of the JVM").
     *
     * @implNote While other threads are sending or receiving at the same moment, this method may
     *     return {@code false} although a receiver was arriving; it never sends an element that a
     *     blocking {@code send} would not.
     * @param element the element to send
     * @return {@code true} if the element was sent, {@code false} if sending it would have had to
     *     wait
     * @throws NullPointerException if {@code element} is {@code null}
     * @throws ChannelClosedException if the channel is closed or failed
     */
    boolean trySend(E element);

    /**
     * Closes the channel gracefully: no more elements can be sent, elements already sent are still
     * delivered, and then receivers learn that the channel is closed.
     *
     * <p>Later sends, and sends waiting at this moment, throw {@link ChannelClosedException}: a
     * waiting sender's element was never accepted, and the sender still owns it. Receivers take
     * the elements still buffered; once none are left, receives throw
     * {@link ChannelClosedException}, {@link ReceiveChannel#receiveOrClosed()} returns
     * {@link ReceiveResult.Closed}, and iteration and streams end normally.
     *
     * <p><b>Memory visibility.</b> {@code close()} happens-before any operation that observes the
     * channel closed.
     *
     * @return {@code true} if this call closed the channel; {@code false} if it was already closed
     *     or failed, in which case nothing changes
     */
    boolean close();

    /**
     * Closes the channel abortively because of {@code cause}: buffered elements are discarded, and
     * every waiting and later send and receive on either side throws
     * {@link ChannelClosedException} whose cause is {@code cause}, but for
     * {@link ReceiveChannel#receiveOrClosed() receiveOrClosed()}, which returns that cause in its
     * {@link ReceiveResult.Closed Closed} result. Iteration throws it too; {@code close()} and
     * {@code fail} return {@code false}. Only a receive that overlaps the call may
     * still return an element: one that was already on its way to that receiver (as a rendezvous
     * send that returned, or the oldest buffered element, which no later receive has skipped).
     *
     * <p><b>Memory visibility.</b> {@code fail(cause)} happens-before any operation that observes
     * the channel failed.
     *
     * @param cause why the channel failed
     * @return {@code true} if this call failed the channel; {@code false} if it was already closed
     *     or failed, in which case nothing changes
     * @throws NullPointerException if {@code cause} is {@code null}
     */
    boolean fail(Throwable cause);

    /**
     * {@return {@code true} if the channel was closed or failed, so that every send throws} True as
     * soon as {@link #close()} or {@link #fail(Throwable)} has returned.
     */
    boolean isClosedForSend();
}
