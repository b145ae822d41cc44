package io.github.csp4j.select;

import io.github.csp4j.channels.ChannelClosedException;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * A select over a fixed list of clauses, to run again and again, as in a loop that merges
 * channels: made by {@link Select#selector Select.selector}. The clauses are checked once; a run
 * that completes without waiting allocates nothing of its own but the result of a closed-aware
 * receive (a send still takes its share of its channel's segments, as any send does).
 * Closed channels add to that: a plain receive clause skipped there, one small object at most; a
 * clause that completes by the closure, a {@link ChannelClosedException} (a send clause two; a
 * closed-aware receive one too, which it does not throw); a run that finds every channel closed,
 * the exception it throws.
 *
 * {@snippet class=io.github.csp4j.select.SelectSnippets region=selector}
 *
 * <p>One thread at a time may run a selector (any thread, in turn); a run that overlaps another,
 * also one that a callback of a run starts, throws {@link IllegalStateException}. A send clause
 * sends the same element on every run.
 *
 * @param <R> the type of the callbacks' results
 */
public final class Selector<R> {
    private final Plan<R> plan;

    /**
     * A copy of the clauses if {@link QuickPoll} takes them, else {@code null}: each run first
     * polls them as {@link Select#select Select.select} does, and runs the plan only if that
     * completed nothing: the plan's own poll (its order array, its engine) cost a selector more
     * than the new clauses cost select2Receive. SelectBenchmark's select2ReceiveReused, medians of
     * three alternating rounds, 100-112 to 91-94 ns per select (benchmarks/RESULTS.md, "A
     * selector polls first too").
     */
    private final SelectClause<? extends R>[] quick;

    /** The source of random choices, or {@code null} for ThreadLocalRandom. */
    private final RandomGenerator random;

    /** The thread running a select now, or {@code null}. cas. */
    private final AtomicReference<Thread> running = new AtomicReference<>();

    /**
     * @throws NullPointerException if {@code clauses} or one of them is {@code null}
     * @throws IllegalArgumentException as for {@link Select#select Select.select}
     */
    Selector(SelectClause<? extends R>[] clauses, RandomGenerator random) {
        SelectClause<? extends R>[] copy = Objects.requireNonNull(clauses, "clauses").clone();
        this.plan = new Plan<>(copy); // checks the clauses first
        this.quick = QuickPoll.takes(copy) ? copy : null;
        this.random = random;
    }

    /**
     * Runs a select of this selector's clauses: among clauses ready at the same time, one picked
     * uniformly at random.
     *
     * <p><b>Blocking.</b> Until a channel clause completes or the earliest timeout elapses; never
     * with an {@code orElse} clause.
     *
     * <p><b>Interruption.</b> If the thread is interrupted on entry or while waiting, throws
     * {@code InterruptedException} with the interrupt status cleared and nothing sent or received;
     * if a clause completed concurrently with the interrupt, returns normally with the status
     * still set. With {@code orElse}, the interrupt status is ignored.
     *
     * <p><b>Closed channel.</b> As for {@link Select#select Select.select}: closed, drained
     * receive clauses are skipped, and throw when all are; a send to a closed channel or a
     * receive from a failed one throws {@link ChannelClosedException}.
     *
     * <p><b>Memory visibility.</b> As for {@link Select#select Select.select}.
     *
     * @return the result of the completed clause's callback
     * @throws InterruptedException if interrupted, as for {@link Select#select Select.select}
     * @throws ChannelClosedException as for {@link Select#select Select.select}
     * @throws IllegalStateException if another run of this selector has not returned yet: on
     *     another thread, or on this one from a callback of that run
     */
    public R select() throws InterruptedException {
        return run(random != null ? random : ThreadLocalRandom.current());
    }

    /**
     * Runs a select of this selector's clauses in which, among clauses ready at the same time, the
     * first listed wins.
     *
     * <p><b>Blocking.</b> As {@link #select()}.
     *
     * <p><b>Interruption.</b> As {@link #select()}: interrupted on entry or while waiting, it
     * throws {@code InterruptedException} with the status cleared and no effect.
     *
     * <p><b>Closed channel.</b> As {@link #select()}.
     *
     * <p><b>Memory visibility.</b> As {@link #select()}.
     *
     * @return the result of the completed clause's callback
     * @throws InterruptedException if interrupted, as for {@link Select#select Select.select}
     * @throws ChannelClosedException as for {@link Select#select Select.select}
     * @throws IllegalStateException if another run of this selector has not returned yet: on
     *     another thread, or on this one from a callback of that run
     */
    public R selectInOrder() throws InterruptedException {
        return run(null);
    }

    private R run(RandomGenerator choices) throws InterruptedException {
        Thread current = Thread.currentThread();
        if (!running.compareAndSet(null, current)) {
            throw new IllegalStateException("selector is in use by " + running.get() + "; run it from one thread at a time");
        }
        try {
            if (quick == null) {
                return plan.run(choices);
            }
            Object polled = QuickPoll.poll(quick, choices);
            if (QuickPoll.completed(polled)) {
                @SuppressWarnings("unchecked") // a clause's callback result, an R
                R result = (R) polled;
                return result;
            }
            return plan.run(choices, QuickPoll.firstForPlan(polled));
        } finally {
            running.set(null);
        }
    }

    /**
     * {@return the selector's clauses, for logs and thread dumps} The channel clauses in the order
     * given, each with its channel (and a send's element), then the timeout that would fire (the
     * earliest) and the default clause, if any.
     */
    @Override
    public String toString() {
        return "Selector[" + plan + "]";
    }
}
