package io.github.csp4j.channels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.Starvation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One pair streaming on the scheduler's only carrier (the {@code one-carrier} execution runs this
 * class with {@code -Djdk.virtualThreadScheduler.parallelism=1}) still lets threads submitted from
 * outside run: one started from a platform thread, and one woken by the JDK's timer. The two
 * parties wake each other through the carrier's own queue, which the scheduler runs before
 * outside submissions; a plain blocking send or receive whose ticket is one in
 * {@code io.github.csp4j.outsidersTurnPeriod} parks for a moment when outside submissions wait
 * (Carriers.outsidersTurn), and that empties the carrier's queue. Without it, this thread stays
 * queued for as long as the stream lasts, as it does with the JDK's queues (StarvationProbe in
 * benchmarks). ChannelStarvationTest checks a pair on every carrier of the default scheduler.
 */
@Timeout(60)
class OutsidersTurnOneCarrierTest {
    @BeforeEach
    void oneCarrier() {
        assumeTrue(Async.carriers() == 1, "run by the one-carrier execution");
    }

    @Test
    void aRendezvousPair_letsThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(1, pair -> Channel.rendezvous("stream"));
    }

    @Test
    void aBufferedPair_letsThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(1, pair -> Channel.buffered("stream", 16));
    }
}
