package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.select;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.Starvation;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test: a loop of selects whose timeout passed while the select spun never parked, and
 * virtual threads are not preempted; with one such loop per carrier no other virtual thread ran
 * (SelectExactlyOnceTest found a sender runnable for over 20 s). A timed wait that times out
 * without having parked now stops spinning in time to park. And streams with a select on one
 * side, where only the plain side takes the outsiders' turn (below).
 */
@Timeout(60)
class SelectStarvationTest {
    /** Long enough to park, shorter than a spin before parking (256 spins). */
    private static final Duration TIMEOUT = Duration.ofNanos(10_000);

    @Test
    void select_loopsWithTenMicrosecondTimeoutsOnEveryCarrier_letOtherVirtualThreadsRun() {
        Channel<Integer> idle = Channel.rendezvous("idle");

        Starvation.assertLoopsOnEveryCarrierLetOthersRun(
                () -> select(onReceive(idle, e -> e), onTimeout(TIMEOUT, () -> -1)) == -1);
    }

    @Test
    void selectSend_loopsWithTenMicrosecondTimeoutsOnEveryCarrier_letOtherVirtualThreadsRun() {
        Channel<Integer> full = Channel.buffered("full", 1);
        full.trySend(0);

        Starvation.assertLoopsOnEveryCarrierLetOthersRun(
                () -> !select(onSend(full, 1, () -> true), onTimeout(TIMEOUT, () -> false)));
    }

    /*
     * The outsiders' turn is taken per channel and direction by plain blocking sends and receives;
     * a select takes none (RELIABILITY.md, "Known limits"). With a select on one side of every
     * stream, the plain side alone must still let threads from outside the scheduler run.
     */

    @Test
    void plainRendezvousSendersAndSelectingReceivers_streamingOnEveryCarrier_letThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(Async.carriers(), pair -> Channel.rendezvous("stream-" + pair),
                Channel::send, stream -> select(onReceive(stream, e -> e)));
    }

    @Test
    void plainBufferedSendersAndSelectingReceivers_streamingOnEveryCarrier_letThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(Async.carriers(), pair -> Channel.buffered("stream-" + pair, 16),
                Channel::send, stream -> select(onReceive(stream, e -> e)));
    }

    @Test
    void selectingSendersAndPlainReceivers_streamingOnEveryCarrier_letThreadsFromOutsideRun() {
        Starvation.assertStreamingPairsLetOutsidersRun(Async.carriers(), pair -> Channel.rendezvous("stream-" + pair),
                (stream, element) -> select(onSend(stream, element, () -> null)), Channel::receive);
    }
}
