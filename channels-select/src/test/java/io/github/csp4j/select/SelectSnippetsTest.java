package io.github.csp4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The javadoc examples do what their text says. */
@Timeout(30)
class SelectSnippetsTest {

    @Test
    void merge_bothClosedAfterTheirElements_returnsEveryLineAndEnds() throws InterruptedException {
        Channel<String> orders = Channel.unbounded();
        Channel<String> refunds = Channel.unbounded();
        orders.send("a");
        refunds.send("b");
        orders.close();
        refunds.close();

        List<String> log = SelectSnippets.merge(orders, refunds);

        assertEquals(2, log.size());
        assertEquals(List.of("order a", "refund b"), log.stream().sorted().toList());
    }

    @Test
    void drain_closedAfterThree_countsThree() throws InterruptedException {
        Channel<Integer> jobs = Channel.buffered(4);
        jobs.send(1);
        jobs.send(2);
        jobs.send(3);
        jobs.close();

        assertEquals(3, SelectSnippets.drain(jobs));
    }

    @Test
    void drain_negativeJobs_areCountedToo() throws InterruptedException {
        Channel<Integer> jobs = Channel.buffered(4);
        jobs.send(-1);
        jobs.send(-2);
        jobs.close();

        assertEquals(2, SelectSnippets.drain(jobs));
    }

    @Test
    void drain_failedChannel_throwsItsFailure() throws InterruptedException {
        Channel<Integer> jobs = Channel.buffered(4);
        jobs.send(1);
        IllegalStateException cause = new IllegalStateException("boom");
        jobs.fail(cause);

        assertSame(cause, assertThrows(IllegalStateException.class, () -> SelectSnippets.drain(jobs)).getCause());
    }

    @Test
    void merge_aFailedChannel_throwsItsFailureRatherThanEnd() throws InterruptedException {
        Channel<String> orders = Channel.unbounded();
        Channel<String> refunds = Channel.unbounded();
        IllegalStateException cause = new IllegalStateException("boom");
        orders.fail(cause);
        refunds.close();

        ChannelClosedException thrown = assertThrows(ChannelClosedException.class,
                () -> SelectSnippets.merge(orders, refunds));

        assertSame(cause, thrown.getCause());
    }
}
