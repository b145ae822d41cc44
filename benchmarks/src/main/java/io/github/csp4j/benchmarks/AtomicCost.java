package io.github.csp4j.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one uncontended atomic read-modify-write costs on this machine: a get-and-add (x86
 * {@code lock xadd}) and a compare-and-set that always succeeds ({@code lock cmpxchg}), each on a
 * counter no other thread touches, one after another on one thread.
 *
 * <p>Why it exists: a buffered element that nobody waits for costs csp4j six of these (a permit,
 * the send ticket, the cell, the receive ticket, the cell again, the released permit) and four more
 * each time a sender collects the released permits. On the Intel guest of run 36 a get-and-add
 * took 5.3 ns, so six come to 32 of the 48 ns per element that csp4j's plain path took there
 * (23.5 ns on the Zen 4 guest of the runs before it; benchmarks/RESULTS.md, "Run 36").
 * {@code compare.sh} records this figure beside the CPU's name, so that each run says what its
 * machine's atomics cost.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.github.csp4j.benchmarks.AtomicCost
 * }</pre>
 * prints {@code get-and-add X ns, compare-and-set Y ns}: the median of {@link #SAMPLES} samples of
 * {@link #OPS} operations each, after one sample of each dropped to warm up.
 */
public final class AtomicCost {
    /** Samples whose median is reported. */
    static final int SAMPLES = 9;

    /** Operations per sample: about 0.1 s each at 5 ns. */
    static final int OPS = 20_000_000;

    private AtomicCost() {}

    public static void main(String[] args) {
        AtomicLong counter = new AtomicLong();
        double[] getAndAdd = new double[SAMPLES + 1];
        double[] compareAndSet = new double[SAMPLES + 1];
        for (int sample = 0; sample <= SAMPLES; sample++) {
            getAndAdd[sample] = getAndAdd(counter, OPS);
            compareAndSet[sample] = compareAndSet(counter, OPS);
        }
        System.out.printf(Locale.ROOT, "get-and-add %.1f ns, compare-and-set %.1f ns%n",
                median(getAndAdd), median(compareAndSet));
    }

    /** {@return ns per get-and-add over {@code ops} of them} */
    static double getAndAdd(AtomicLong counter, int ops) {
        long start = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            counter.getAndAdd(1L);
        }
        return (System.nanoTime() - start) / (double) ops;
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

    /** {@return the median of {@code measured} without its first, warm-up, sample} */
    static double median(double[] measured) {
        double[] kept = Arrays.copyOfRange(measured, 1, measured.length);
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }
}
