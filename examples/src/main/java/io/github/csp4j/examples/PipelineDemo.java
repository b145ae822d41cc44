package io.github.csp4j.examples;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;

/**
 * A three-stage producer-consumer pipeline in a task scope: a producer sends numbers into a
 * buffered channel, two workers square them and send the squares into a rendezvous channel, and a
 * consumer prints and sums them. Every stage is a task of one scope, so none outlives the pipeline.
 *
 * <p>Closing flows downstream: the producer's channel is closed when it returns
 * ({@link TaskScope#produce produce}), the last worker to finish closes {@code squares}, and the
 * consumer's for-each loop ends. A failure ends the whole pipeline: the failing task cancels the
 * scope, which interrupts every other stage wherever it waits, and the owner's
 * {@link TaskScope#join() join} throws {@link TaskFailedException} with the failure once every
 * stage has ended. {@link #main} runs the pipeline twice: once to the end, and once with a worker
 * that fails on 7.
 */
public final class PipelineDemo {
    private PipelineDemo() {}

    /** A square and the worker that computed it. */
    record Square(int n, long square, String worker) {}

    /** Runs the pipeline over 10 numbers, then again with a worker that fails; prints to stdout. */
    public static void main(String[] args) throws InterruptedException {
        long sum = run(10, n -> (long) n * n, System.out);
        System.out.println("pipeline finished: sum of squares = " + sum);

        System.out.println();
        try {
            run(10, PipelineDemo::squareExceptSeven, System.out);
        } catch (TaskFailedException e) {
            System.out.println("pipeline failed: " + e.getMessage() + "; every stage has ended");
        }
    }

    /** Squares {@code n}, but throws for 7: a bug in a stage, to show what a failure does. */
    static long squareExceptSeven(int n) {
        if (n == 7) {
            throw new ArithmeticException("cannot square " + n);
        }
        return (long) n * n;
    }

    /**
     * Runs the pipeline over the numbers 1 to {@code count} and prints what each stage does.
     *
     * @param square what the workers compute; if it throws, the pipeline fails
     * @return the sum of the squares the consumer received
     * @throws TaskFailedException if a stage failed; every stage has ended by then
     * @throws InterruptedException if the calling thread was interrupted while it waited
     */
    static long run(int count, IntToLongFunction square, PrintStream out) throws InterruptedException {
        out.println("starting: producer -> [numbers, buffered 4] -> 2 workers -> [squares, rendezvous]"
                + " -> consumer");
        try (TaskScope scope = TaskScope.open("pipeline")) {
            ReceiveChannel<Integer> numbers = scope.produce("numbers", 4, channel -> {
                for (int n = 1; n <= count; n++) {
                    channel.send(n);
                    out.printf("producer: sent %d%n", n);
                }
                out.println("producer: done, numbers closes");
            });

            Channel<Square> squares = Channel.rendezvous("squares");
            AtomicInteger workersLeft = new AtomicInteger(2);
            for (int w = 1; w <= 2; w++) {
                String name = "worker-" + w;
                scope.fork(name, () -> {
                    for (int n : numbers) {
                        squares.send(new Square(n, square.applyAsLong(n), name));
                    }
                    if (workersLeft.decrementAndGet() == 0) {
                        squares.close();
                        out.printf("%s: numbers drained, closed squares%n", name);
                    }
                    return null;
                });
            }

            Task<Long> consumer = scope.fork("consumer", () -> {
                long sum = 0;
                int received = 0;
                for (Square s : squares) {
                    received++;
                    sum += s.square();
                    out.printf("consumer: received %d^2 = %d from %s%n", s.n(), s.square(), s.worker());
                }
                out.printf("consumer: squares closed after %d elements%n", received);
                return sum;
            });

            scope.join(); // every stage has ended; throws if one failed
            return consumer.get();
        }
    }
}
