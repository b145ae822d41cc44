package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.Starvation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test: a virtual thread that loops over timed receives whose timeout passed while it
 * spun never parked, and virtual threads are not preempted, so one such loop per carrier kept
 * every other virtual thread from running. A wait that times out without having parked now
 * leaves its carrier before it returns (see Waiter).
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
}
