package io.github.csp4j.examples;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskScope;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A pipeline that hangs, and how to see why. Its producer returns without closing its channel
 * (the bug), so the consumer's loop waits for ever for the next number. The owner gives the
 * pipeline a second; when it has not finished by then, it prints the scope and the channel. The
 * scope names the task still running, by thread name and id, and the channel it waits on, and the
 * channel names that same thread as a receiver waiting on it: the consumer waits on
 * {@code numbers}, and no sender will come. The owner then cancels the scope, which ends the
 * consumer. The fix is to close the channel when the producer is done, or to let
 * {@link TaskScope#produce produce} do it, as {@link PipelineDemo} does.
 *
 * <p>What it prints once it gives up (the thread id varies; the channel's counters follow):
 * <pre>
 * not finished; who waits for whom:
 *   TaskScope[stuck, FAIL_FAST, 1 running [stuck/consumer #24 waiting on numbers]]
 *   Channel[numbers, buffered(4), open, receivers waiting [stuck/consumer #24], cells[...]]
 * cancelled: the consumer ended CANCELLED
 * </pre>
 *
 * <p>Run with {@code ./mvnw -q -Pdemo -pl examples -am verify
 * -Ddemo.mainClass=io.github.csp4j.examples.StuckPipelineDemo}.
 */
public final class StuckPipelineDemo {
    private StuckPipelineDemo() {}

    /**
     * How long the owner waits for the pipeline: {@code main} gives it a second on
     * {@code finished}, the consumer's end; the test waits instead until the scope and the channel
     * show the pipeline stuck, so that what it checks does not depend on a second being enough.
     */
    @FunctionalInterface
    interface Patience {
        /** {@return whether the pipeline finished ({@code finished} reached zero) in time} */
        boolean finishedInTime(CountDownLatch finished, TaskScope scope, Channel<Integer> numbers)
                throws InterruptedException;
    }

    /** Runs the stuck pipeline, giving it a second; prints to stdout. */
    public static void main(String[] args) throws InterruptedException {
        run(System.out, (finished, scope, numbers) -> finished.await(1, TimeUnit.SECONDS));
    }

    /**
     * Runs the pipeline, and if it has not finished when {@code patience} gives up, prints who
     * waits for whom and cancels it.
     *
     * @return whether the consumer finished (never, with this producer)
     * @throws InterruptedException if the calling thread was interrupted while it waited
     */
    static boolean run(PrintStream out, Patience patience) throws InterruptedException {
        Channel<Integer> numbers = Channel.buffered("numbers", 4);
        CountDownLatch finished = new CountDownLatch(1);
        try (TaskScope scope = TaskScope.open("stuck")) {
            scope.fork("producer", () -> {
                for (int n = 1; n <= 3; n++) {
                    numbers.send(n);
                }
                out.println("producer: sent 1 to 3 and returned, without closing numbers (the bug)");
                return null;
            });
            Task<Integer> consumer = scope.fork("consumer", () -> {
                int sum = 0;
                for (int n : numbers) { // ends only when numbers is closed
                    sum += n;
                    out.printf("consumer: received %d%n", n);
                }
                finished.countDown();
                return sum;
            });

            if (patience.finishedInTime(finished, scope, numbers)) {
                scope.join();
                out.println("finished: sum " + consumer.get());
                return true;
            }
            out.println("not finished; who waits for whom:");
            out.println("  " + scope);
            out.println("  " + numbers);
            scope.cancel(); // interrupts the consumer where it waits
            scope.join();
            out.println("cancelled: the consumer ended " + consumer.state());
            return false;
        }
    }
}
