package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.channels.spi.Selection;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A checked list of clauses and the {@link Selection} of its channel clauses: runs one select at
 * a time. {@link Select} makes one per call; a {@link Selector} keeps one.
 *
 * @param <R> the result type of the callbacks
 */
final class Plan<R> {
    /*
     * Implementation notes
     *
     * A select runs in up to two phases. Polling: every channel clause in turn, in a random
     * order (a Fisher-Yates shuffle, as Go's pollorder) or in the listed order, with the try
     * operations; the first that completes wins, so among clauses ready at once each wins with
     * the same probability. Waiting, unless the select has a default clause: Selection.await
     * registers the clauses in the same order and waits for the first to complete, or for the
     * earliest timeout. The deadline is computed once, on entry, from the earliest onTimeout.
     *
     * The callback runs after the clause completed and every other registration was removed, in
     * the selecting thread; what it throws propagates unchanged.
     */

    /** The channel clauses, indexed by their number in {@link #selection}. */
    private final Clause<? extends R>[] channelClauses;

    private final Selection selection;

    /** The clause numbers in the order to try them; shuffled before each unordered select. */
    private final int[] order;

    /** The earliest timeout clause, or {@code null}. */
    private final Clause<? extends R> timeout;

    /** {@link #timeout}'s nanoseconds, converted once for every run; unused without it. */
    private final long timeoutNanos;

    /** The default clause, or {@code null}. */
    private final Clause<? extends R> orElse;

    @SuppressWarnings("unchecked")
    Plan(SelectClause<? extends R>[] clauses) {
        Objects.requireNonNull(clauses, "clauses");
        if (clauses.length == 0) {
            throw new IllegalArgumentException("a select needs at least one clause");
        }
        Clause<? extends R>[] channels = (Clause<? extends R>[]) new Clause<?>[clauses.length];
        Selection channelSelection = Selection.create();
        Clause<? extends R> earliest = null;
        long earliestNanos = 0;
        Clause<? extends R> fallback = null;
        int count = 0;
        for (int i = 0; i < clauses.length; i++) {
            int index = i;
            Clause<? extends R> clause = (Clause<? extends R>) Objects.requireNonNull(clauses[i], () -> "clauses[" + index + "]");
            switch (clause.kind()) {
                case RECEIVE, RECEIVE_OR_CLOSED -> channelSelection.addReceive(
                        (ReceiveChannel<?>) clause.channel(), clause.kind() == Clause.Kind.RECEIVE_OR_CLOSED);
                case SEND -> channelSelection.addSend((SendChannel<?>) clause.channel(), clause.operand());
                case TIMEOUT -> {
                    long nanos = clause.timeoutNanos();
                    if (earliest == null || nanos < earliestNanos) {
                        earliest = clause;
                        earliestNanos = nanos;
                    }
                    continue;
                }
                case DEFAULT -> {
                    if (fallback != null) {
                        throw new IllegalArgumentException("a select may have one orElse clause, found two: clauses["
                                + indexOf(clauses, fallback) + "] and clauses[" + i + "]");
                    }
                    fallback = clause;
                    continue;
                }
            }
            channels[count++] = clause;
        }
        if (earliest != null && fallback != null) {
            throw new IllegalArgumentException(
                    "a select cannot have both orElse and onTimeout: orElse fires at once, so the timeout never could");
        }
        this.channelClauses = Arrays.copyOf(channels, count);
        this.selection = channelSelection;
        this.order = new int[count];
        this.timeout = earliest;
        this.timeoutNanos = earliestNanos;
        this.orElse = fallback;
    }

    private static int indexOf(Object[] array, Object element) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == element) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Runs one select: the body of {@link Select#select} and {@link Selector#select}.
     *
     * <p><b>Blocking.</b> Until a channel clause completes or the timeout elapses; never with a
     * default clause.
     *
     * <p><b>Interruption.</b> Checked on entry unless there is a default clause; while waiting,
     * {@link Selection#await} decides. Either way an interrupted select had no effect and throws
     * {@code InterruptedException} with the status cleared.
     *
     * <p><b>Closed channel.</b> See {@link Select}: skipped, thrown, or a closed result.
     *
     * <p><b>Memory visibility.</b> That of the channel operation that completed the clause.
     *
     * @param random the source of the shuffle, or {@code null} to try the clauses in order
     */
    R run(RandomGenerator random) throws InterruptedException {
        return run(random, -1);
    }

    /**
     * {@link #run(RandomGenerator)}, polling clause {@code first} before the others: for a select
     * whose {@link QuickPoll} stopped at that clause because its channel is closed (QuickPoll,
     * "Semantics"). The others follow in a new random order, or, for a priority select, in their
     * listed order. Blocking, Interruption, Closed channel and Memory visibility as there.
     *
     * @param first a channel clause's number, or -1 for none; QuickPoll takes only receive and
     *     send clauses, so a clause's index among those it polled is its number here
     */
    R run(RandomGenerator random, int first) throws InterruptedException {
        if (orElse == null && Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = timeout == null ? Selection.NO_DEADLINE : Selection.deadline(timeoutNanos);
        arrange(random);
        if (first >= 0) {
            moveToFront(first, random == null);
        }
        selection.begin();
        for (int clause : order) {
            if (selection.poll(clause)) {
                return completed(clause);
            }
        }
        if (selection.allClosed()) {
            throw allClosed();
        }
        if (orElse != null) {
            return orElse.fired();
        }
        if (timeout != null && timeoutNanos <= 0) {
            return timeout.fired();
        }
        if (order.length == 0) {
            sleepUntil(deadline, System::nanoTime);
            return timeout.fired();
        }
        int clause = selection.await(order, deadline);
        if (clause == Selection.TIMED_OUT) {
            return timeout.fired();
        }
        if (clause == Selection.ALL_CLOSED) {
            throw allClosed();
        }
        return completed(clause);
    }

    /** Fills {@link #order} with the clause numbers: shuffled, or in the listed order. */
    private void arrange(RandomGenerator random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (random == null) {
            return;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    /**
     * Moves {@code clause} to the front of the order: in a listed order ({@code inOrder}) the
     * clauses before it move back one place, so that the rest keep their order (selectInOrder's
     * priority); in a random one it swaps places with the first, and the rest stay a uniformly
     * random order.
     */
    private void moveToFront(int clause, boolean inOrder) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] == clause) {
                if (inOrder) {
                    System.arraycopy(order, 0, order, 1, i);
                } else {
                    order[i] = order[0];
                }
                order[0] = clause;
                return;
            }
        }
        throw new IllegalArgumentException("no channel clause " + clause + " among " + order.length);
    }

    private R completed(int clause) {
        Clause<? extends R> completed = channelClauses[clause];
        ChannelClosedException closure = selection.closure();
        if (closure != null) {
            return completed.closed(closure);
        }
        if (completed.kind() == Clause.Kind.SEND) {
            return completed.fired();
        }
        return completed.received(selection.received());
    }

    private ChannelClosedException allClosed() {
        StringJoiner names = new StringJoiner(", ");
        for (int i = 0; i < selection.size(); i++) {
            names.add(selection.channelName(i));
        }
        return new ChannelClosedException(names.toString());
    }

    /**
     * A select of timeouts only: waits for the earliest, {@code deadline}, on {@code clock}
     * ({@link System#nanoTime()}, or a test's).
     */
    static void sleepUntil(long deadline, LongSupplier clock) throws InterruptedException {
        for (long left = remaining(deadline, clock.getAsLong()); left > 0; left = remaining(deadline, clock.getAsLong())) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /**
     * {@return the nanoseconds from {@code now} to {@code deadline}, compared by subtraction; for
     * {@link Selection#NO_DEADLINE}, {@code Long.MAX_VALUE} whatever {@code now} is} A negative
     * {@code System.nanoTime()} would otherwise turn that subtraction negative, and a timeout that
     * never elapses would fire at once.
     */
    static long remaining(long deadline, long now) {
        return deadline == Selection.NO_DEADLINE ? Long.MAX_VALUE : deadline - now;
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "select(", ")");
        for (Clause<? extends R> clause : channelClauses) {
            text.add(clause.toString());
        }
        if (timeout != null) {
            text.add(timeout.toString());
        }
        if (orElse != null) {
            text.add(orElse.toString());
        }
        return text.toString();
    }
}
