package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.Starvation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Virtual threads are not preempted, so a wait that never leaves its carrier keeps every thread
 * queued for that carrier from running. Regression test: a virtual thread that looped over timed
 * receives whose timeout passed while it spun never parked, and one such loop per carrier kept
 * every other virtual thread from running; a wait that times out without having parked now leaves
 * its carrier before it returns (see Waiter). And a rendezvous wait may busy-spin while threads
 * are queued (CellChannel.awaitHandoff): a stream of handoffs whose spins keep bringing the answer
 * would never leave the carriers, so after a run of such spins one wait goes without and yields.
 * The stream test below is a smoke test of that: any spin that misses also lets the queued
 * thread run, so it does not single out the bound (AdaptiveBusySpinTest checks the bound). It puts
 * a party, not a pair, on every carrier. With a pair on every carrier the parties wake each other
 * through their carrier's own queue, which the JDK's scheduler runs before threads started or
 * woken from outside it, so those would wait until a stream pauses, as they do with the JDK's
 * queues (StarvationProbe in benchmarks); the pair tests check that they run, because one
 * blocking operation in so many parks for a moment while such threads wait (Carriers.outsidersTurn;
 * OutsidersTurnOneCarrierTest does the same on one carrier).
 */
@Timeout(60)
class ChannelStarvationTest {
    /** Long enough to park, shorter than a spin before parking (256 spins). */
    private static final Duration TIMEOUT = Duration.ofNanos(10_000);

    @Test
    void receive_loopsWithTenMicrosecondTimeoutsOnEveryCarrier_letOtherVirtualThreadsRun() {
        Channel<Integer> idle = Channel.rendezvous("idle");

        Starvation.assertLoopsOnEveryCarrierLetOthersRun(() -> idle.receive(TIMEOUT) == null);
    }

    @Test
    void send_loopsWithTenMicrosecondTimeoutsOnEveryCarrier_letOtherVirtualThreadsRun() {
        Channel<Integer> full = Channel.rendezvous("full");

        Starvation.assertLoopsOnEveryCarrierLetOthersRun(() -> !full.send(1, TIMEOUT));
    }

    @Test
    void rendezvousPairsStreamingOnEveryCarrier_letThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(Async.carriers(), pair -> Channel.rendezvous("stream-" + pair));
    }

    @Test
    void bufferedPairsStreamingOnEveryCarrier_letThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(Async.carriers(), pair -> Channel.buffered("stream-" + pair, 16));
    }

    @Test
    void aStreamOfHandoffsOnEveryCarrier_letsAQueuedVirtualThreadRun() {
        int carriers = Async.carriers();
        assumeTrue(carriers >= 2, "one carrier would hold the whole pair, which keeps a queued thread waiting (see above)");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong handoffs = new AtomicLong();
        List<Async<Void>> parties = new ArrayList<>();
        for (int pair = 0; pair < (carriers + 1) / 2; pair++) { // a party on every carrier
            parties.addAll(Starvation.startStream(Channel.rendezvous("stream-" + pair), stop, handoffs, sent -> { }));
        }
        try {
            Starvation.awaitCount(handoffs, 100_000, "handoffs");
            boolean[] ran = new boolean[1];
            Async<Void> queued = Async.run(() -> ran[0] = true); // a virtual thread that needs a carrier

            queued.join(); // fails after Async.PATIENCE if the stream kept it off every carrier
            assertTrue(ran[0]);
        } finally {
            stop.set(true); // whatever happened, the stream ends and gives the carriers back
        }
        parties.forEach(Async::join);
    }
}
