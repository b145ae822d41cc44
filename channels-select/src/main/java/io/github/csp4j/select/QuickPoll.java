package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.channels.spi.Selection;
import java.util.random.RandomGenerator;

/**
 * The first poll of a select with new clauses, before any {@link Plan} is built: each receive and
 * send clause once, in the select's order, with the channels' try operations. A select that an
 * element completes at once then allocates nothing of its own; only one that must wait, or has a
 * clause this poll does not take, builds the plan, which polls again and waits. A
 * {@link Selector} whose clauses this poll takes runs it first too, before its plan.
 */
final class QuickPoll {
    /*
     * Implementation notes
     *
     * Why. SelectBenchmark's select2Receive (new clauses per select, as Go's select statement)
     * took 105 ns against 86 ns for the same select with reused clauses (a Selector), and jox's
     * two variants cost the same: the difference was building the plan and its engine, about
     * 360 bytes in ten objects per select, for a select that almost always completes in its
     * first poll (the reused variant allocates 16 bytes per select: few waits). Smaller arrays
     * alone saved bytes and no time (benchmarks/RESULTS.md, "What is left"). With this poll the
     * selector became the slower of the two (run 13: 103 against 87 ns): the plan's own poll,
     * with its order array and engine, costs more than this one, so a Selector runs this poll
     * first as well ("A selector polls first too").
     *
     * What it takes. Only receive and send clauses on csp4j channels, at most MAX_CLAUSES, and
     * no rendezvous channel that the select both sends to and receives from: everything else is
     * the plan's to validate and reject with its messages. It stops at a clause whose channel is
     * closed (Closed), so that the plan decides between skipping it and completing it with the
     * closure, as it does for any closed channel it polls; the plan polls that clause first.
     *
     * Order. A uniformly random permutation (Fisher-Yates) kept in one long, 4 bits per clause,
     * so that the order costs no array; in the given order for selectInOrder.
     *
     * Semantics. A poll here is the plan's poll of the same clauses: the same try operations, the
     * same callbacks. A select that nothing completes here polls again in the plan, in a new
     * order, before it waits: the clauses it finds ready there became ready after this poll
     * passed them. A closed channel's clause counts as ready (Select), and this poll stops there;
     * had the plan then polled in a new order, a clause ready beside it would have won twice:
     * once if it came first here, and again in half the plan's orders (one closed and one ready
     * clause: the closed one won a quarter of the selects, QuickPollTest). So the plan polls
     * that clause first, and each clause wins with the chance of its place in this poll's order.
     */

    /** The result of a poll that completed no clause. */
    static final Object MISSED = new Object();

    /**
     * The result of a poll that stopped at a clause whose channel is closed, which the plan polls
     * first.
     *
     * @param clause the clause's index in the clauses polled
     */
    record Closed(int clause) {}

    /**
     * {@return whether {@code polled}, a result of {@link #select} or {@link #poll}, is a completed
     * clause's callback result} Neither MISSED nor Closed: no callback returns one, as the types are
     * this package's.
     */
    static boolean completed(Object polled) {
        return polled != MISSED && !(polled instanceof Closed);
    }

    /**
     * {@return the clause that the plan polls first after {@code polled}, a result that did not
     * complete a clause: the closed one, or -1 after MISSED} For {@link Plan#run(RandomGenerator, int)}.
     */
    static int firstForPlan(Object polled) {
        return polled instanceof Closed closed ? closed.clause() : -1;
    }

    /** The most clauses it takes: 16 indexes of 4 bits in a long. */
    static final int MAX_CLAUSES = 16;

    private QuickPoll() {}

    /**
     * Polls {@code clauses} once, if every one is a receive or send clause on a csp4j channel.
     *
     * <p><b>Blocking.</b> Never: each clause is tried with its channel's try operation.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry (and the clauses are ones it
     * polls), it throws {@code InterruptedException} with the status cleared and polls nothing,
     * as {@link Select#select Select.select} does.
     *
     * <p><b>Closed channel.</b> A clause whose channel is closed makes it return {@link Closed}
     * with that clause at once, so that the plan polls it first and completes or skips it.
     *
     * <p><b>Memory visibility.</b> As the channels' try operations: a completed receive sees
     * what its sender did before sending.
     *
     * @param random the source of the order, or {@code null} for the given order
     * @return the completed clause's callback result, {@link #MISSED}, or {@link Closed}
     * @throws InterruptedException if the thread is interrupted on entry (as the plan would be)
     */
    static Object select(SelectClause<?>[] clauses, RandomGenerator random) throws InterruptedException {
        if (!takes(clauses)) {
            return MISSED;
        }
        return poll(clauses, random);
    }

    /**
     * {@return whether this poll takes {@code clauses}: at most {@link #MAX_CLAUSES}, every one a
     * receive or send clause on a csp4j channel, and no rendezvous channel both sent to and
     * received from} A {@link Selector} asks once, when it is made.
     */
    static boolean takes(SelectClause<?>[] clauses) {
        return clauses != null && clauses.length > 0 && clauses.length <= MAX_CLAUSES && pollable(clauses);
    }

    /**
     * {@link #select}, for clauses that {@link #takes} accepted: polls them once.
     *
     * <p><b>Blocking, Interruption, Closed channel, Memory visibility.</b> As {@link #select}.
     *
     * @param random the source of the order, or {@code null} for the given order
     * @return the completed clause's callback result, {@link #MISSED}, or {@link Closed}
     * @throws InterruptedException if the thread is interrupted on entry
     */
    static Object poll(SelectClause<?>[] clauses, RandomGenerator random) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long order = order(clauses.length, random);
        for (int i = 0; i < clauses.length; i++, order >>>= 4) {
            int index = (int) (order & 0xF);
            Clause<?> clause = (Clause<?>) clauses[index];
            if (clause.kind() == Clause.Kind.RECEIVE) {
                Object result = Selection.tryReceive((ReceiveChannel<?>) clause.channel());
                if (result == Selection.CLOSED) {
                    return new Closed(index); // the plan skips it or completes it with the closure
                }
                if (result != null) {
                    return clause.received(result);
                }
            } else {
                try {
                    if (Selection.trySend((SendChannel<?>) clause.channel(), clause.operand())) {
                        return clause.fired();
                    }
                } catch (ChannelClosedException e) {
                    return new Closed(index); // the plan completes the clause with the closure
                }
            }
        }
        return MISSED;
    }

    /** {@return whether every clause is a receive or send clause this poll takes} */
    private static boolean pollable(SelectClause<?>[] clauses) {
        for (int i = 0; i < clauses.length; i++) {
            if (!(clauses[i] instanceof Clause<?> clause)
                    || (clause.kind() != Clause.Kind.RECEIVE && clause.kind() != Clause.Kind.SEND)
                    || !Selection.selectable(clause.channel())) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                Clause<?> other = (Clause<?>) clauses[j];
                if (other.channel() == clause.channel() && other.kind() != clause.kind()
                        && Selection.rendezvous(clause.channel())) {
                    return false; // the plan rejects it
                }
            }
        }
        return true;
    }

    /** {@return a permutation of 0 to {@code n - 1}, 4 bits per index, lowest first} */
    static long order(int n, RandomGenerator random) {
        long order = 0xFEDC_BA98_7654_3210L; // the identity
        if (random == null) {
            return order;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long a = (order >>> (4 * i)) & 0xF;
            long b = (order >>> (4 * j)) & 0xF;
            order &= ~((0xFL << (4 * i)) | (0xFL << (4 * j)));
            order |= (b << (4 * i)) | (a << (4 * j));
        }
        return order;
    }
}
