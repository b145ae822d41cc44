package io.github.csp4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.tasks.TaskScope;
import io.github.csp4j.tasks.TaskScopeTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SwapDemoTest {

    /** Both tasks parked in their sends, as the scope shows them: the deadlock's state. */
    private static void awaitBothSending(TaskScope scope) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Pattern deadlocked = Pattern.compile(
                ".*swap/left #\\d+ waiting on left-to-right, swap/right #\\d+ waiting on right-to-left]]");
        for (String shown = scope.toString(); !deadlocked.matcher(shown).matches(); shown = scope.toString()) {
            assertTrue(System.nanoTime() - deadline < 0, "not deadlocked as expected: " + shown);
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * The deadlock, once both tasks wait in their sends: the timeout names each task and the
     * channel it waited on. The test waits for that state instead of relying on the deadline.
     */
    @Test
    void sendThenReceive_deadlocks_timeoutSaysEachTaskWaitsOnItsSend() {
        TaskScopeTimeoutException thrown = assertThrows(TaskScopeTimeoutException.class,
                () -> SwapDemo.swap(SwapDemo::sendThenReceive, Duration.ofMillis(100), SwapDemoTest::awaitBothSending));

        assertEquals(List.of("left", "right"), thrown.unfinishedTasks());
        assertEquals(List.of("waiting on left-to-right", "waiting on right-to-left"), thrown.unfinishedTaskWaits());
        assertEquals("scope 'swap' did not finish within PT0.1S; unfinished then: [left waiting on left-to-right,"
                + " right waiting on right-to-left]; its tasks were cancelled", thrown.getMessage());
    }

    /** Whichever half of the two selects meets first, both values cross. */
    @RepeatedTest(50)
    void sendAndReceive_bothSwapsComplete() throws InterruptedException {
        String swapped = SwapDemo.swap(SwapDemo::sendAndReceive, null, scope -> { }); // no deadline to miss

        assertEquals("left got \"from right\", right got \"from left\"", swapped);
    }

    @Test
    void run_printsTheDeadlockThenTheSwap() throws InterruptedException {
        Printed output = new Printed();

        SwapDemo.run(output.out, Duration.ofMillis(100), SwapDemoTest::awaitBothSending);

        assertEquals("""
                send, then receive:
                  scope 'swap' did not finish within PT0.1S; unfinished then: [left waiting on left-to-right, \
                right waiting on right-to-left]; its tasks were cancelled
                send and receive in one select:
                  left got "from right", right got "from left"
                """, output.text().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void main_printsBothSwaps() throws InterruptedException {
        String printed = Printed.byMain(() -> SwapDemo.main(new String[0]));

        // Whether the tasks parked within the second, the test cannot know: the waits are left out.
        assertTrue(printed.contains("scope 'swap' did not finish within PT1S; unfinished then: [left"), printed);
        assertTrue(printed.contains("left got \"from right\", right got \"from left\""), printed);
    }
}
