package io.github.csp4j.benchmarks;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the instructions that csp4j's tuning counts in cost on this machine, on one thread with
 * nothing contended: a get-and-add whose result is used (x86 {@code lock xadd}), a compare-and-set
 * that always succeeds ({@code lock cmpxchg}) and a {@link Thread#onSpinWait()} ({@code pause}).
 *
 * <p>Why it exists: csp4j's costs and settings are counted in them, and a machine's prices set what
 * those come to. A buffered element that nobody waits for costs six atomics (a permit, the send
 * ticket, the cell, the receive ticket, the cell again, the released permit: four get-and-adds and
 * two compare-and-sets), and four more each time a sender collects the released permits. On the
 * Intel guest of run 36 they cost 5.1 to 5.7 ns each, so the six would come to about 31 to 33 of
 * the 47 ns per element that csp4j's plain path took there, if they cost as much inside it (23.5 ns
 * on the Zen 4 guest of the runs before it). The waits' spin counts were tuned on the reference
 * machine, where an onSpinWait took about 28 ns (Waiter's busy spins); on that Intel guest it took
 * 10, so the same count spins about a third as long (benchmarks/RESULTS.md, "Run 36"). {@code
 * compare.sh} records these figures beside the CPU's name, so that each run says what they cost on
 * its machine.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.github.csp4j.benchmarks.InstructionCost
 * }</pre>
 * prints {@code get-and-add X ns, compare-and-set Y ns, onSpinWait Z ns}: each the median of
 * {@link #SAMPLES} samples of {@link #OPS} operations, after one sample of each dropped to warm up.
 */
public final class InstructionCost {
    /** Samples whose median is reported. */
    static final int SAMPLES = 9;

    /** Operations per sample: about 0.1 s at 5 ns, 0.2 s at 10. */
    static final int OPS = 20_000_000;

    private InstructionCost() {}

    public static void main(String[] args) {
        AtomicLong counter = new AtomicLong();
        double[] getAndAdd = new double[SAMPLES + 1];
        double[] compareAndSet = new double[SAMPLES + 1];
        double[] onSpinWait = new double[SAMPLES + 1];
        for (int sample = 0; sample <= SAMPLES; sample++) {
            getAndAdd[sample] = getAndAdd(counter, OPS);
            compareAndSet[sample] = compareAndSet(counter, OPS);
            onSpinWait[sample] = onSpinWait(OPS);
        }
        System.out.printf(Locale.ROOT, "get-and-add %.1f ns, compare-and-set %.1f ns, onSpinWait %.1f ns%n",
                median(getAndAdd), median(compareAndSet), median(onSpinWait));
    }

    /**
     * {@return ns per get-and-add over {@code ops} of them} Each result is used, as a ticket is, so
     * that the JIT emits {@code lock xadd} rather than a {@code lock add} that returns nothing.
     */
    static double getAndAdd(AtomicLong counter, int ops) {
        long first = counter.get();
        long sum = 0;
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            sum += counter.getAndAdd(1L);
        }
        double nanos = (System.nanoTime() - start) / (double) ops;
        long expected = ops * first + (long) ops * (ops - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("get-and-add returned " + sum + " in all, not " + expected);
        }
        return nanos;
    }

    /**
     * {@return ns per compare-and-set over {@code ops} of them} Each expects the value the one
     * before it wrote, known without a read, so each succeeds and none waits for a load.
     */
    static double compareAndSet(AtomicLong counter, int ops) {
        long value = counter.get();
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++, value++) {
            if (!counter.compareAndSet(value, value + 1)) {
                throw new IllegalStateException("the counter moved under a single thread: " + counter.get());
            }
        }
        return (System.nanoTime() - start) / (double) ops;
    }

    /** {@return ns per {@link Thread#onSpinWait()} over {@code ops} of them} */
    static double onSpinWait(int ops) {
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            Thread.onSpinWait();
        }
        return (System.nanoTime() - start) / (double) ops;
    }

    /** {@return the median of {@code measured} without its first, warm-up, sample} */
    static double median(double[] measured) {
        double[] kept = CoreToCore.keptSorted(measured);
        return kept[kept.length / 2];
    }
}
