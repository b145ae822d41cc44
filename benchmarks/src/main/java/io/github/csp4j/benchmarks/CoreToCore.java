package io.github.csp4j.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * The machine's state for a benchmark run: the round trip between the two CPUs that the threads
 * of a 2-thread handoff run on, with no library in between. Two platform threads take turns
 * writing a volatile int and spinning until the other answers.
 *
 * <p>Why it exists: on the reference machine (a 2-vCPU VM on AMD EPYC) this round trip is 50 to
 * 70 ns most of the time and 400 to 700 ns at others, as the host moves the vCPUs; every handoff
 * workload moves with it (ping-pong of every implementation 4 to 5 times slower), so a run, or
 * one fork of it, measured in the slow state cannot be compared with one in the fast state.
 * {@code quiet_run.py} and {@code compare.sh} record this figure before and after what they run
 * (benchmarks/RESULTS.md, "After run 6", "Machine state: what the slow modes were"), and {@link CoreToCoreProfiler} after every JMH
 * iteration.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.github.csp4j.benchmarks.CoreToCore
 * }</pre>
 * prints the median of {@link #SAMPLES} samples of {@link #TRIPS} round trips, in ns, then the
 * smallest and largest sample.
 */
public final class CoreToCore {
    /** Samples whose median is reported. */
    static final int SAMPLES = 9;

    /** Round trips per sample. */
    static final int TRIPS = 50_000;

    /** The ball: odd while the main thread waits for the echo, even while the echo waits. */
    private static volatile int ball;

    private CoreToCore() {}

    public static void main(String[] args) throws InterruptedException {
        double[] measured = samples(SAMPLES, TRIPS);
        System.out.printf(Locale.ROOT, "%.0f %.0f %.0f%n", measured[SAMPLES / 2], measured[0], measured[SAMPLES - 1]);
    }

    /**
     * {@return {@code samples} samples of {@code trips} round trips each, in ns per round trip,
     * sorted} One more sample is taken first, to warm up, and dropped. The echo is a new platform
     * thread, joined before this returns.
     *
     * @throws InterruptedException if interrupted while joining the echo thread
     */
    static double[] samples(int samples, int trips) throws InterruptedException {
        int total = (samples + 1) * trips;
        Thread echo = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                int expected = 2 * i + 1;
                while (ball != expected) {
                    Thread.onSpinWait();
                }
                ball = expected + 1;
            }
        }, "core-to-core-echo");
        echo.setDaemon(true);
        ball = 0;
        echo.start();
        double[] measured = new double[samples + 1];
        for (int sample = 0; sample <= samples; sample++) {
            long start = System.nanoTime();
            for (int i = sample * trips; i < (sample + 1) * trips; i++) {
                ball = 2 * i + 1;
                while (ball != 2 * i + 2) {
                    Thread.onSpinWait();
                }
            }
            measured[sample] = (System.nanoTime() - start) / (double) trips;
        }
        echo.join();
        return keptSorted(measured);
    }

    /**
     * {@return {@code measured} without its first sample, taken to warm up, and sorted} For this
     * class's samples and {@link InstructionCost}'s.
     */
    static double[] keptSorted(double[] measured) {
        double[] kept = Arrays.copyOfRange(measured, 1, measured.length);
        Arrays.sort(kept);
        return kept;
    }
}
