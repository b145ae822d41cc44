package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StuckPipelineDemoTest {

    /**
     * What the demo prints once the consumer waits: the scope names the consumer's thread as its
     * one running task, parked on the channel, and the channel names the same thread, by id, as
     * its waiting receiver.
     * The test waits for that state instead of the demo's second.
     */
    @Test
    void run_stuckConsumer_scopeAndChannelNameTheSameWaitingThread() throws InterruptedException {
        Printed output = new Printed();

        boolean finished = StuckPipelineDemo.run(output.out, (latch, scope, numbers) -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // In this order: the consumer took the last number, the producer's task ended, and
            // the consumer waits for the next number, which never comes.
            while (!(output.text().contains("consumer: received 3")
                    && scope.toString().contains("1 running [stuck/consumer #")
                    && scope.toString().endsWith(" waiting on numbers]]")
                    && numbers.toString().contains("receivers waiting [stuck/consumer #"))) {
                assertTrue(System.nanoTime() - deadline < 0, "not stuck as expected: " + scope + " " + numbers);
                LockSupport.parkNanos(100_000);
            }
            return false;
        });

        String printed = output.text();
        assertFalse(finished);
        Matcher scope = Pattern.compile(
                "TaskScope\\[stuck, FAIL_FAST, 1 running \\[stuck/consumer (#\\d+) waiting on numbers]]")
                .matcher(printed);
        assertTrue(scope.find(), printed);
        assertTrue(printed.contains("Channel[numbers, buffered(4), open, receivers waiting [stuck/consumer "
                + scope.group(1) + "], "), printed);
        assertTrue(printed.contains("consumer: received 3"), printed);
        assertTrue(printed.contains("cancelled: the consumer ended CANCELLED"), printed);
    }

    @Test
    void main_printsWhoWaitsAndEnds() throws InterruptedException {
        String printed = Printed.byMain(() -> StuckPipelineDemo.main(new String[0]));
        assertTrue(printed.contains("not finished; who waits for whom:"), printed);
        assertTrue(printed.contains("cancelled: the consumer ended CANCELLED"), printed);
    }
}
