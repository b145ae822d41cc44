package io.github.csp4j.channels.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;

/**
 * Checks that a loop of operations running on every carrier of the virtual-thread scheduler still
 * lets another virtual thread run: virtual threads are not preempted, so an operation that never
 * leaves its carrier starves everyone else.
 */
public final class Starvation {
    private Starvation() {}

    /**
     * Runs {@code iteration} in a loop in one virtual thread per carrier, waits until each loop
     * made 1,000 iterations (counted when {@code iteration} returns {@code true}), then starts one
     * more virtual thread, which stops the loops; fails if that thread or the loops do not end
     * within {@link Async#PATIENCE}.
     */
    public static void assertLoopsOnEveryCarrierLetOthersRun(Iteration iteration) {
        int carriers = Async.carriers();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong counted = new AtomicLong();
        List<Async<Void>> loops = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            loops.add(Async.run(() -> {
                while (!stop.get()) {
                    if (iteration.run()) {
                        counted.incrementAndGet();
                    }
                }
            }));
        }
        try {
            awaitCount(counted, 1_000L * carriers, "iterations of the loops");
        } catch (AssertionError e) {
            stop.set(true);
            throw e;
        }

        Async<Void> other = Async.run(() -> stop.set(true)); // a virtual thread that needs a carrier

        other.join();
        loops.forEach(Async::join);
        assertTrue(stop.get());
    }

    /**
     * Starts {@code pairs} pairs of virtual threads, each a sender that sends on its own channel
     * from {@code channels} until told to stop and a receiver that takes everything, and checks
     * that threads submitted to the scheduler from outside it still run while every pair streams:
     * a virtual thread started from the caller's platform thread, and one whose timed receive on
     * an idle channel times out (its wake-up comes from the JDK's timer). The second is started
     * by pair 0's sender, a virtual thread, so it first runs on that sender's carrier, and it
     * waits for a millisecond. Fails if either has not finished within {@link Async#PATIENCE}.
     * Call it from a platform thread, such as the test's own.
     */
    public static void assertStreamingPairsLetOutsidersRun(int pairs, IntFunction<Channel<Integer>> channels) {
        assertStreamingPairsLetOutsidersRun(pairs, channels, Channel::send, Channel::receive);
    }

    /**
     * As {@link #assertStreamingPairsLetOutsidersRun(int, IntFunction)}, with each sender sending
     * one element by {@code send} and each receiver receiving one by {@code receive} (a select, for
     * instance, in place of the channel's own operation).
     */
    public static void assertStreamingPairsLetOutsidersRun(int pairs, IntFunction<Channel<Integer>> channels,
            Send send, Receive receive) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong[] handoffs = new AtomicLong[pairs];
        CountDownLatch timedOut = new CountDownLatch(1);
        Channel<Integer> idle = Channel.rendezvous("idle");
        List<Async<Void>> parties = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            AtomicLong count = handoffs[pair] = new AtomicLong();
            LongConsumer beforeSend = pair != 0 ? sent -> { } : sent -> {
                if (sent == 10_000) {
                    Thread.ofVirtual().start(() -> {
                        try {
                            if (idle.receive(Duration.ofMillis(1)) == null) {
                                timedOut.countDown();
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt(); // nobody interrupts it; the latch stays up
                        }
                    });
                }
            };
            parties.addAll(startStream(channels.apply(pair), stop, count, beforeSend, send, receive));
        }
        try {
            long deadline = System.nanoTime() + Async.PATIENCE.toNanos(); // one for all the pairs
            for (AtomicLong count : handoffs) {
                awaitCount(count, 100_000, "handoffs of a pair", deadline);
            }
            Async<Void> started = Async.run(() -> { }); // started from this platform thread

            started.join(); // fails after Async.PATIENCE if the streams kept it off every carrier
            try {
                assertTrue(timedOut.await(Async.PATIENCE.toNanos(), TimeUnit.NANOSECONDS),
                        "a timed receive of 1 ms did not time out within " + Async.PATIENCE + " while the pairs streamed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the timed receive", e);
            }
        } finally {
            stop.set(true); // whatever happened, the streams end and give the carriers back
        }
        parties.forEach(Async::join);
    }

    /**
     * Starts a sender that sends 1 on {@code stream} until {@code stop} is set, calling
     * {@code beforeSend} with the number sent so far before each send, and then closes the
     * channel; and a receiver that takes everything and counts it in {@code received}, until the
     * close. {@return the two parties}
     */
    public static List<Async<Void>> startStream(Channel<Integer> stream, AtomicBoolean stop, AtomicLong received,
            LongConsumer beforeSend) {
        return startStream(stream, stop, received, beforeSend, Channel::send, Channel::receive);
    }

    private static List<Async<Void>> startStream(Channel<Integer> stream, AtomicBoolean stop, AtomicLong received,
            LongConsumer beforeSend, Send send, Receive receive) {
        Async<Void> sender = Async.run(() -> {
            for (long sent = 0; !stop.get(); sent++) {
                beforeSend.accept(sent);
                send.send(stream, 1);
            }
            stream.close();
        });
        Async<Void> receiver = Async.run(() -> {
            try {
                while (true) {
                    receive.receive(stream);
                    received.incrementAndGet();
                }
            } catch (ChannelClosedException e) {
                // the sender stopped
            }
        });
        return List.of(sender, receiver);
    }

    /**
     * Spins until {@code counted} reaches {@code target}; fails after {@link Async#PATIENCE}. Call
     * it from a platform thread (such as the test's own), which runs whatever virtual threads do.
     */
    public static void awaitCount(AtomicLong counted, long target, String what) {
        awaitCount(counted, target, what, System.nanoTime() + Async.PATIENCE.toNanos());
    }

    /** As {@link #awaitCount(AtomicLong, long, String)}, but fails once {@code deadline} (a nanoTime) passes. */
    private static void awaitCount(AtomicLong counted, long target, String what, long deadline) {
        while (counted.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                fail("only " + counted.get() + " of " + target + " " + what + " within " + Async.PATIENCE);
            }
            Thread.onSpinWait();
        }
    }

    /** How a stream's sender sends one element. */
    @FunctionalInterface
    public interface Send {
        /** Sends {@code element} on {@code stream}. */
        void send(Channel<Integer> stream, Integer element) throws Exception;
    }

    /** How a stream's receiver receives one element; throws ChannelClosedException at the end. */
    @FunctionalInterface
    public interface Receive {
        /** Receives one element from {@code stream}. */
        void receive(Channel<Integer> stream) throws Exception;
    }

    /** One iteration of a loop; {@code true} counts it. */
    @FunctionalInterface
    public interface Iteration {
        boolean run() throws Exception;
    }
}
