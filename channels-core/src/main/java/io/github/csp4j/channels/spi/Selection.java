package io.github.csp4j.channels.spi;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.channels.internal.ChannelFactory;

/**
 * The channel clauses of a select, and the engine that completes exactly one of them: receive and
 * send clauses on csp4j channels, numbered in the order they are added. The select module builds
 * everything else (callbacks, timeouts, the default clause, fairness) on top.
 *
 * <p>A select runs as: {@link #begin()}; {@link #poll(int)} of clauses in the order the select
 * chooses, until one completes; then, unless the select has a default clause,
 * {@link #await(int[], long)}, which registers the remaining clauses in their channels and waits.
 * After a clause completed, {@link #received()} and {@link #closure()} tell how. Before it builds
 * a selection at all, a select may poll its clauses once with the static {@link #tryReceive} and
 * {@link #trySend}, which need none.
 *
 * <p>Not thread-safe: one thread at a time runs a select on an instance, and may run many in turn.
 */
public interface Selection {
    /** Returned by {@link #await} when its deadline passed first. */
    int TIMED_OUT = -1;

    /** Returned by {@link #await} when every clause is a receive from a closed, drained channel. */
    int ALL_CLOSED = -2;

    /** The deadline of an {@link #await} without a timeout. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * {@return the deadline, for {@link #await}, of a wait of {@code timeoutNanos} from now}
     * {@link #NO_DEADLINE} for {@code Long.MAX_VALUE}; deadlines are compared by subtraction.
     */
    static long deadline(long timeoutNanos) {
        return ChannelFactory.deadline(timeoutNanos);
    }

    /** {@return a new selection without clauses} */
    static Selection create() {
        return ChannelFactory.selection();
    }

    /** Returned by {@link #tryReceive} when the channel is closed and drained, or failed. */
    Object CLOSED = ChannelFactory.CLOSED;

    /**
     * {@return whether {@code channel} is a csp4j channel, which a selection can take} Without a
     * selection: a select may poll its clauses with {@link #tryReceive} and {@link #trySend}
     * before it builds one, which only a wait needs.
     */
    static boolean selectable(Object channel) {
        return ChannelFactory.selectable(channel);
    }

    /** {@return whether {@code channel}, a {@linkplain #selectable selectable} one, is a rendezvous channel} */
    static boolean rendezvous(Object channel) {
        return ChannelFactory.rendezvous(channel);
    }

    /**
     * Receives from {@code channel}, a {@linkplain #selectable selectable} one, as a receive
     * clause's poll does, without a selection.
     *
     * @return the element; {@code null} if receiving would wait; {@link #CLOSED} if the channel
     *     is closed and drained, or failed (nothing is skipped or completed: the caller decides)
     */
    static Object tryReceive(ReceiveChannel<?> channel) {
        return ChannelFactory.tryReceive(channel);
    }

    /**
     * Sends {@code element} to {@code channel}, a {@linkplain #selectable selectable} one, as a send
     * clause's poll does, without a selection.
     *
     * @return whether it was sent
     * @throws ChannelClosedException if the channel is closed
     */
    static boolean trySend(SendChannel<?> channel, Object element) {
        return ChannelFactory.trySend(channel, element);
    }

    /**
     * Adds a receive clause.
     *
     * @param closedAware whether the clause completes (rather than being skipped) when its channel
     *     is closed and drained; a failed channel completes any receive clause
     * @return the clause's number
     * @throws NullPointerException if {@code channel} is {@code null}
     * @throws IllegalArgumentException if {@code channel} is not a csp4j channel, or if it is a
     *     rendezvous channel that this selection also sends to
     */
    int addReceive(ReceiveChannel<?> channel, boolean closedAware);

    /**
     * Adds a send clause.
     *
     * @return the clause's number
     * @throws NullPointerException if {@code channel} or {@code element} is {@code null}
     * @throws IllegalArgumentException if {@code channel} is not a csp4j channel, or if it is a
     *     rendezvous channel that this selection also receives from
     */
    int addSend(SendChannel<?> channel, Object element);

    /** {@return the number of clauses} */
    int size();

    /** {@return the name of the channel of {@code clause}} */
    String channelName(int clause);

    /** Starts a select by the current thread: no clause is skipped, nothing completed yet. */
    void begin();

    /**
     * Completes {@code clause} if it can without waiting. A plain receive clause whose channel is
     * closed and drained is skipped from then on (see {@link #allClosed()}).
     *
     * @return whether it completed (also by finding its channel closed: see {@link #closure()})
     */
    boolean poll(int clause);

    /** {@return whether there is at least one clause and every one is skipped} */
    boolean allClosed();

    /**
     * Registers every clause that is not skipped, in {@code order}, and waits until one completes.
     * Never completes more than one clause; every other registration is removed before it
     * returns.
     *
     * <p><b>Blocking.</b> Until a clause completes, {@code deadline} passes, or every clause is
     * skipped as closed.
     *
     * <p><b>Interruption.</b> If the thread is interrupted while waiting, it throws
     * {@code InterruptedException} with the interrupt status cleared and no clause had an effect;
     * if a clause completed concurrently with the interrupt, it returns that clause with the
     * interrupt status still set. The caller checks the status on entry.
     *
     * <p><b>Closed channel.</b> A clause that finds its channel closed completes with
     * {@link #closure()}, or is skipped (a plain receive from a closed, drained channel).
     *
     * <p><b>Memory visibility.</b> As the channels' operations: the peer's actions before it
     * completed the clause happen-before this method returns.
     *
     * @param order the clause numbers in the order to register them; each clause once
     * @param deadline a {@link System#nanoTime()} value, or {@link #NO_DEADLINE}
     * @return the clause that completed, {@link #TIMED_OUT} or {@link #ALL_CLOSED}
     * @throws InterruptedException if the thread was interrupted while waiting, before a clause
     *     completed; nothing was sent or received, and the interrupt status is cleared
     */
    int await(int[] order, long deadline) throws InterruptedException;

    /**
     * {@return the element the completed receive clause received, or {@code null}} Once per
     * select: the selection forgets it then, so that one kept for reuse keeps no element reachable.
     */
    Object received();

    /**
     * {@return the exception of a completed clause that found its channel closed: a send clause on
     * a closed channel, a receive clause on a failed one, a closed-aware receive clause on a closed
     * and drained one; or {@code null}} Its cause is the channel's failure cause, if any.
     */
    ChannelClosedException closure();
}
