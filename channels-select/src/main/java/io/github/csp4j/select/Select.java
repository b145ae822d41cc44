package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.ReceiveResult;
import io.github.csp4j.channels.SendChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Waits on many channels at once: {@link #select select} completes exactly one of its clauses, the
 * first that can complete, and returns what that clause's callback returns. Like Go's
 * {@code select}, with the clause factories meant to be imported statically:
 *
 * {@snippet class=io.github.csp4j.select.SelectSnippets region=merge}
 *
 * <h2>Clauses</h2>
 * <ul>
 *   <li>{@link #onReceive onReceive(channel, then)}: receives an element and passes it to
 *       {@code then}. Skipped once its channel is closed and drained, so that a loop merging
 *       channels needs no bookkeeping for the ones that ended.
 *   <li>{@link #onReceiveOrClosed onReceiveOrClosed(channel, then)}: the same, but fires with a
 *       {@link ReceiveResult.Closed} (carrying the failure cause, if any) when its channel is
 *       closed and drained, or failed; it never throws for closure.
 *   <li>{@link #onSend onSend(channel, element, then)}: sends {@code element}, then calls
 *       {@code then}.
 *   <li>{@link #onTimeout onTimeout(after, then)}: fires if no other clause completed within
 *       {@code after}; of several, the earliest.
 *   <li>{@link #orElse orElse(then)}: the default, taken at once if no other clause can complete
 *       now; a select with it never waits.
 * </ul>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li><b>Exactly one clause takes effect.</b> A select never receives from two channels or sends
 *       to two; a clause that did not win leaves its channel as it was.
 *   <li><b>Fair.</b> Among clauses that can complete at the same moment, {@code select} picks one
 *       uniformly at random, so no channel starves; {@link #selectInOrder selectInOrder} picks the
 *       first listed.
 *   <li><b>Closed channels.</b> A plain receive clause whose channel is closed and drained is
 *       skipped, also when that happens while the select waits. When every channel clause is such a
 *       clause, {@code select} throws {@link ChannelClosedException}, even with an
 *       {@code onTimeout} or {@code orElse} clause: nothing can arrive any more, and a loop must
 *       end; that exception's {@link ChannelClosedException#channelName() channelName()} lists
 *       the channels' names, joined by {@code ", "}. A receive clause on a failed channel, or a
 *       send clause on a closed one, counts as
 *       ready and completes by throwing {@code ChannelClosedException} (with the failure cause;
 *       its message names the channel) if it is chosen, or if it closes while the select waits.
 *   <li><b>Callbacks</b> run in the selecting thread after their clause completed; what they
 *       throw propagates unchanged.
 *   <li>A select both sending to and receiving from the same rendezvous channel is rejected: it
 *       could never meet itself there (in Go it would wait for other parties).
 * </ul>
 *
 * <p>Works on the channels of {@link io.github.csp4j.channels.Channel}'s factories, of every kind,
 * with selects on either side: a selecting sender meets a selecting receiver.
 *
 * <p>A thread blocked in a select on channels is named in the {@code toString()} of every channel
 * it still waits on, and parks with an object that lists its clauses' channels as its blocker
 * ({@link java.util.concurrent.locks.LockSupport#getBlocker LockSupport.getBlocker}; its
 * {@code toString()}: {@code Selection[receive from jobs, send to results]}), which a thread dump
 * shows by class and identity hash (the {@code Channel} javadoc, "Diagnostics").
 *
 * <p>For a select run again and again with the same clauses, {@link #selector selector} checks
 * them once and allocates less per run. A select with new clauses allocates them each time; when
 * its clauses are at most 16 {@code onReceive} and {@code onSend} clauses (none receiving from and
 * sending to the same rendezvous channel) and one completes in the first poll, that is all it
 * allocates of its own (a send still takes its share of its channel's segments, as any send does).
 */
public final class Select {
    private Select() {}

    /**
     * Waits until one of {@code clauses} can complete, completes exactly that one, and returns the
     * result of its callback. Among clauses ready at the same time, one is picked uniformly at
     * random.
     *
     * <p><b>Blocking.</b> Waits until a channel clause completes, or the earliest
     * {@link #onTimeout onTimeout} elapses. Never waits if there is an {@link #orElse orElse}
     * clause: then it completes a ready clause, or runs the default.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, the method
     * throws {@code InterruptedException} with the interrupt status cleared and the operation had
     * no effect (nothing was sent or received); if a clause completed concurrently with the
     * interrupt, it returns normally with the interrupt status still set. A select with
     * {@code orElse} never waits and, like the try operations, ignores the interrupt status.
     *
     * <p><b>Closed channel.</b> A plain receive clause whose channel is closed and drained is
     * skipped; if every channel clause is skipped, throws {@link ChannelClosedException}. A send
     * clause on a closed channel, or a receive clause on a failed one, completes by throwing
     * {@link ChannelClosedException}.
     *
     * <p><b>Memory visibility.</b> As for the channels' own operations: actions before a send
     * happen-before actions after the receive (or the receive clause's callback) that gets the
     * element, whichever side selects; a channel's {@code close()} happens-before a select that
     * observes it closed.
     *
     * @param clauses the alternatives; at least one, at most one {@code orElse}, not both
     *     {@code orElse} and {@code onTimeout}
     * @param <R> the type of the callbacks' results
     * @return the result of the completed clause's callback
     * @throws InterruptedException if interrupted, see above
     * @throws ChannelClosedException if the clause that completed found its channel closed, or
     *     every channel clause is a receive from a closed and drained channel
     * @throws NullPointerException if {@code clauses} or one of them is {@code null}
     * @throws IllegalArgumentException if {@code clauses} is empty, has two {@code orElse}, has
     *     {@code orElse} and {@code onTimeout}, has a channel that is not a csp4j channel, or both
     *     sends to and receives from the same rendezvous channel
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <R> R select(SelectClause<? extends R>... clauses) throws InterruptedException {
        return run(clauses, ThreadLocalRandom.current());
    }

    /**
     * As {@link #select select}, but among clauses ready at the same time the first listed wins:
     * a priority select. Blocking, interruption, closed channels and memory visibility as there.
     *
     * @param clauses the alternatives, highest priority first
     * @param <R> the type of the callbacks' results
     * @return the result of the completed clause's callback
     * @throws InterruptedException if interrupted, as for {@link #select select}
     * @throws ChannelClosedException as for {@link #select select}
     * @throws NullPointerException if {@code clauses} or one of them is {@code null}
     * @throws IllegalArgumentException as for {@link #select select}
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <R> R selectInOrder(SelectClause<? extends R>... clauses) throws InterruptedException {
        return run(clauses, null);
    }

    /**
     * Runs a select with new clauses: first one poll of its receive and send clauses (QuickPoll),
     * then, if that completed nothing, a plan, which polls again and waits.
     *
     * @param random the source of the order, or {@code null} for the given order
     */
    @SuppressWarnings("unchecked") // QuickPoll returns a clause's callback result, an R
    static <R> R run(SelectClause<? extends R>[] clauses, RandomGenerator random) throws InterruptedException {
        Object polled = QuickPoll.select(clauses, random);
        if (QuickPoll.completed(polled)) {
            return (R) polled;
        }
        return new Plan<R>(clauses).run(random, QuickPoll.firstForPlan(polled));
    }

    /**
     * {@return a selector that runs a select of {@code clauses} each time it is called} The
     * clauses are checked once, here; a run that completes without waiting allocates nothing of
     * its own but the result of a closed-aware receive, and what {@link Selector} lists for closed
     * channels (a send still takes its share of its channel's segments).
     * Fairness as for {@link #select select}, from {@link ThreadLocalRandom}.
     *
     * @param clauses the alternatives
     * @param <R> the type of the callbacks' results
     * @throws NullPointerException if {@code clauses} or one of them is {@code null}
     * @throws IllegalArgumentException as for {@link #select select}
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <R> Selector<R> selector(SelectClause<? extends R>... clauses) {
        return new Selector<>(clauses, null);
    }

    /**
     * {@return a selector whose random choices among ready clauses come from {@code random}} For
     * reproducible runs, such as tests and simulations; {@code random} is used by one select at a
     * time, so it need not be thread-safe.
     *
     * @param random the source of the choices
     * @param clauses the alternatives
     * @param <R> the type of the callbacks' results
     * @throws NullPointerException if {@code random}, {@code clauses} or one of them is {@code null}
     * @throws IllegalArgumentException as for {@link #select select}
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, never stored or exposed
    public static <R> Selector<R> selector(java.util.random.RandomGenerator random, SelectClause<? extends R>... clauses) {
        Objects.requireNonNull(random, "random");
        return new Selector<>(clauses, random);
    }

    /* ---- clauses ---- */

    /**
     * {@return a clause that receives an element from {@code channel} and passes it to
     * {@code then}} Skipped once {@code channel} is closed and drained; completes by throwing
     * {@link ChannelClosedException} if {@code channel} failed.
     *
     * @param channel the channel to receive from
     * @param then called with the element, in the selecting thread
     * @param <E> the element type
     * @param <R> the type of the callback's result
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <E, R> SelectClause<R> onReceive(ReceiveChannel<E> channel, Function<? super E, ? extends R> then) {
        return new Clause<>(Clause.Kind.RECEIVE, Objects.requireNonNull(channel, "channel"), null,
                Objects.requireNonNull(then, "then"));
    }

    /**
     * {@return a clause that receives from {@code channel}, and also fires when {@code channel} is
     * closed and drained, or failed} {@code then} gets a {@link ReceiveResult.Received} with the
     * element, or a {@link ReceiveResult.Closed} with the failure cause ({@code null} after a
     * plain close). This clause never throws for closure.
     *
     * @param channel the channel to receive from
     * @param then called with the result, in the selecting thread
     * @param <E> the element type
     * @param <R> the type of the callback's result
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <E, R> SelectClause<R> onReceiveOrClosed(
            ReceiveChannel<E> channel, Function<? super ReceiveResult<E>, ? extends R> then) {
        return new Clause<>(Clause.Kind.RECEIVE_OR_CLOSED, Objects.requireNonNull(channel, "channel"), null,
                Objects.requireNonNull(then, "then"));
    }

    /**
     * {@return a clause that sends {@code element} to {@code channel}, then calls {@code then}} On
     * a rendezvous channel the clause completes when a receiver takes the element, or, as
     * {@link io.github.csp4j.channels.SendChannel#trySend trySend} does, hands it to a receiver
     * already waiting or on its way, which will take it; on a buffered one when it has a place in
     * the buffer. Completes by throwing {@link ChannelClosedException}
     * if {@code channel} is closed (the element was not sent).
     *
     * @param channel the channel to send to
     * @param element the element to send
     * @param then called after the element was sent, in the selecting thread
     * @param <E> the element type
     * @param <R> the type of the callback's result
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <E, R> SelectClause<R> onSend(SendChannel<E> channel, E element, Supplier<? extends R> then) {
        return new Clause<>(Clause.Kind.SEND, Objects.requireNonNull(channel, "channel"),
                Objects.requireNonNull(element, "element"), Objects.requireNonNull(then, "then"));
    }

    /**
     * {@return a clause that fires if no other clause completed within {@code after} of the
     * select's start} Fires after at least {@code after}; a zero or negative duration fires at
     * once if nothing else is ready. Of several timeout clauses the earliest fires (the first
     * listed, of equal ones). A duration too long for a {@code long} of nanoseconds never elapses.
     *
     * @param after how long the select waits
     * @param then called when the timeout fires, in the selecting thread
     * @param <R> the type of the callback's result
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <R> SelectClause<R> onTimeout(Duration after, Supplier<? extends R> then) {
        return new Clause<>(Clause.Kind.TIMEOUT, null, Objects.requireNonNull(after, "after"),
                Objects.requireNonNull(then, "then"));
    }

    /**
     * {@return the default clause: taken at once if no other clause can complete now} A select
     * with it never waits and ignores the interrupt status, like the channels' try operations.
     *
     * @param then called when no other clause is ready, in the selecting thread
     * @param <R> the type of the callback's result
     * @throws NullPointerException if {@code then} is {@code null}
     */
    public static <R> SelectClause<R> orElse(Supplier<? extends R> then) {
        return new Clause<>(Clause.Kind.DEFAULT, null, null, Objects.requireNonNull(then, "then"));
    }
}
