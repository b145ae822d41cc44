package io.github.csp4j.channels;

import io.github.csp4j.channels.internal.ChannelFactory;

/**
 * A typed channel through which virtual threads hand elements to each other: the CSP way to share
 * data, by communicating instead of sharing memory.
 *
 * {@snippet class=io.github.csp4j.channels.ChannelSnippets region=pipeline}
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@link #rendezvous()}: no buffer. A sender waits until a receiver takes its element, so
 *       the two threads meet.
 *   <li>{@link #buffered(int) buffered(capacity)}: up to {@code capacity} elements wait in the
 *       channel; a sender waits only while the buffer is full. Memory grows with the elements
 *       actually buffered, not with the capacity.
 *   <li>{@link #unbounded()}: a sender never waits; memory grows with the elements buffered.
 * </ul>
 *
 * <h2>Operations</h2>
 * <table class="striped">
 *   <caption>What each operation does when it cannot complete at once</caption>
 *   <thead>
 *     <tr><th scope="col"></th><th scope="col">Blocks</th><th scope="col">Times out</th>
 *         <th scope="col">Never blocks</th><th scope="col">Closed-aware</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><th scope="row">Send</th><td>{@link #send(Object) send(e)}</td>
 *         <td>{@link #send(Object, java.time.Duration) send(e, timeout)} &rarr; {@code false}</td>
 *         <td>{@link #trySend(Object) trySend(e)} &rarr; {@code false}</td>
 *         <td>{@link #isClosedForSend()}</td></tr>
 *     <tr><th scope="row">Receive</th><td>{@link #receive()}, {@link #iterator()},
 *         {@link #stream()}</td>
 *         <td>{@link #receive(java.time.Duration) receive(timeout)} &rarr; {@code null}</td>
 *         <td>{@link #tryReceive()} &rarr; {@code null}</td>
 *         <td>{@link #receiveOrClosed()}, {@link #isClosedForReceive()}</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Rules shared by every operation</h2>
 * <ul>
 *   <li>Elements are never {@code null}: a {@code null} element throws
 *       {@link NullPointerException} and nothing enters the channel.
 *   <li>Order: elements from one sender are received in the order it sent them. Blocked senders,
 *       and blocked receivers, are served first-come first-served, counted from when they began
 *       to wait, so no waiter starves. (A sender on a virtual thread that finds a buffered
 *       channel full yields its carrier once before it begins to wait.)
 *   <li>Closing: {@link #close()} is graceful (buffered elements are still delivered, then
 *       receivers see the channel closed); {@link #fail(Throwable)} is abortive (buffered
 *       elements are discarded and every send and receive throws {@link ChannelClosedException}
 *       with the cause, or, from {@code receiveOrClosed()}, returns it). A sender blocked at the
 *       moment of closing fails, and still owns its element.
 *   <li>Interruption, as in {@link java.util.concurrent.BlockingQueue}: if the thread is
 *       interrupted on entry or while waiting, a blocking method throws
 *       {@link InterruptedException} with the interrupt status cleared and the operation had no
 *       effect; if the operation completed concurrently with the interrupt, it returns normally
 *       with the interrupt status still set. The {@code try} methods ignore the interrupt status.
 *       Iteration and streams, which cannot throw {@code InterruptedException}, throw
 *       {@link UncheckedInterruptedException} instead, with the status set again
 *       ({@link ReceiveChannel#iterator()}).
 *   <li>Timeouts: a timed operation that times out had no effect. A zero or negative timeout
 *       means "do not wait".
 *   <li>Errors of the JVM: an {@link Error} such as {@link OutOfMemoryError} thrown while a
 *       blocking {@code send}, {@code receive} or select waits ends the wait as an interrupt does:
 *       the error is thrown and the operation had no effect. If the operation completed
 *       concurrently, or the channel closed first, it ends as it would have without the error,
 *       which is then dropped, so that the element is not lost; if its own timeout or interrupt
 *       came first, it had no effect either way. An operation that has taken its place in the
 *       channel and cannot allocate the cells for it, or a {@code receiveOrClosed()} (and so an
 *       iterator) that cannot allocate the result for the element it took, waits for memory, trying
 *       again every 100 ms, rather than throw and leave its place unpaired or lose the element;
 *       neither a deadline nor an interrupt ends that wait (an interrupt stays pending), and a
 *       {@code try} operation, a send to an unbounded channel or {@code isClosedForReceive()} can
 *       wait there too. An error thrown elsewhere (a {@link StackOverflowError} before the
 *       operation begins to wait, say) can lose an element, deliver the element of a send that
 *       threw, or leave the channel so that a later element is lost or a later operation waits for
 *       a party that never comes ({@code docs/RELIABILITY.md}, "An Error thrown inside a channel
 *       operation").
 *   <li>Memory visibility: actions before {@code send(e)} happen-before actions after the
 *       {@code receive()} that returns {@code e}; {@code close()} happens-before any operation
 *       that observes the channel closed.
 * </ul>
 *
 * <p>Channels block with {@link java.util.concurrent.locks.LockSupport}, never inside
 * {@code synchronized}, so a virtual thread that waits on a channel releases its carrier thread.
 * Virtual threads are not time-shared, and two of them that keep handing elements to each other
 * keep their carrier, whose scheduler runs the threads they wake before threads started or woken
 * from outside it (by a platform thread, or by the expiry of a timeout). So that those still get
 * a carrier, one plain blocking {@code send} in 16,384 on each channel, and one {@code receive}
 * in 16,384, on a virtual thread, ends with a short timed park if such threads are waiting (not
 * one that timed out, nor a select or a send to an unbounded channel; about one such park every
 * 20 ms in the JVM at most: two threads that check at the same moment may both park).
 *
 * <h2>Diagnostics</h2>
 * A channel's {@code toString()} names it, its kind, whether it is {@code open}, {@code closing}
 * (closed for send, and a receive may still return an element) or {@code closed}, and the threads
 * blocked in it, senders and receivers apart, roughly in the order they began to wait: plain and
 * timed sends and receives, and selects (a select is named by every channel it still waits on). A
 * thread is shown by name and thread id as thread dumps show it ({@code "shop/worker #31"}, or
 * {@code "#31"} unnamed), up to eight per side, then how many more. A plain send or receive that
 * still spins or yields before it parks is not named yet (a plain send on a full buffer is named
 * once it owes a slot, after its yield); a select is named once it registers. The list is read
 * without locking while the channel runs, so it is not a snapshot of one moment; reading it takes
 * time in proportion to the elements buffered and the threads waiting. Reading it settles no
 * operation. The format is for reading, not parsing.
 *
 * <p>A thread parked in a send or receive parks with the channel as its blocker:
 * {@link java.util.concurrent.locks.LockSupport#getBlocker LockSupport.getBlocker} returns the
 * channel, and from JDK 25 a thread dump shows it as the object the thread is parking to wait
 * for, by class and identity hash, the same for every thread parked on one channel. A thread
 * parked in a select on channels parks on an object whose {@code toString()} lists the select's
 * clauses by channel name. A thread still spinning or yielding before it parks has no blocker
 * yet.
 *
 * @param <E> the element type
 */
public interface Channel<E> extends SendChannel<E>, ReceiveChannel<E> {

    /**
     * {@return the channel's name} It appears in {@link ChannelClosedException} messages and in
     * {@code toString()}; channels created without a name get a unique one such as
     * {@code "buffered(16)-3"}.
     */
    String name();

    /**
     * Creates a rendezvous channel: no buffer, so {@code send} returns only once a receiver has
     * taken the element.
     *
     * @param <E> the element type
     * @return a new, open channel with a generated name
     */
    static <E> Channel<E> rendezvous() {
        return ChannelFactory.rendezvous(null);
    }

    /**
     * Creates a rendezvous channel with a name for diagnostics.
     *
     * @param name the channel's name, shown in exception messages
     * @param <E> the element type
     * @return a new, open channel
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static <E> Channel<E> rendezvous(String name) {
        return ChannelFactory.rendezvous(ChannelFactory.checkName(name));
    }

    /**
     * Creates a buffered channel: up to {@code capacity} elements wait in the channel, and a
     * sender waits only while the buffer is full.
     *
     * @param capacity the number of elements the buffer holds, from 1 to
     *     {@link Integer#MAX_VALUE}; memory grows with the elements buffered, not with the capacity
     * @param <E> the element type
     * @return a new, open channel with a generated name
     * @throws IllegalArgumentException if {@code capacity} is less than 1 (for a channel without a
     *     buffer, use {@link #rendezvous()})
     */
    static <E> Channel<E> buffered(int capacity) {
        return ChannelFactory.buffered(null, capacity);
    }

    /**
     * Creates a buffered channel with a name for diagnostics.
     *
     * @param name the channel's name, shown in exception messages
     * @param capacity the number of elements the buffer holds, from 1 to
     *     {@link Integer#MAX_VALUE}
     * @param <E> the element type
     * @return a new, open channel
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank, or {@code capacity} is less than 1
     *     (for a channel without a buffer, use {@link #rendezvous(String)})
     */
    static <E> Channel<E> buffered(String name, int capacity) {
        return ChannelFactory.buffered(ChannelFactory.checkName(name), capacity);
    }

    /**
     * Creates an unbounded channel: {@code send} never waits, and memory grows with the elements
     * buffered.
     *
     * @param <E> the element type
     * @return a new, open channel with a generated name
     */
    static <E> Channel<E> unbounded() {
        return ChannelFactory.unbounded(null);
    }

    /**
     * Creates an unbounded channel with a name for diagnostics.
     *
     * @param name the channel's name, shown in exception messages
     * @param <E> the element type
     * @return a new, open channel
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static <E> Channel<E> unbounded(String name) {
        return ChannelFactory.unbounded(ChannelFactory.checkName(name));
    }
}
