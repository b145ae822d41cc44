package io.github.csp4j.examples;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A three-stage producer-consumer pipeline on virtual threads: a producer sends numbers into a
 * buffered channel, two workers square them and send the squares into a rendezvous channel, and
 * the main thread prints and sums them. Closing flows downstream: the producer closes
 * {@code numbers} when done, the last worker to finish closes {@code squares}, and the consumer's
 * for-each loop ends. A failure flows downstream too, through {@link SendChannel#fail(Throwable)}.
 */
public final class PipelineDemo {
    private PipelineDemo() {}

    /** A square and the worker that computed it. */
    record Square(int n, long square, String worker) {}

    /** Runs the demo with 10 numbers, printing to standard output. */
    public static void main(String[] args) throws InterruptedException {
        long sum = run(10, System.out);
        System.out.println("pipeline finished: sum of squares = " + sum);
    }

    /**
     * Runs the pipeline over the numbers 1 to {@code count} and prints what each stage does.
     *
     * @return the sum of the squares the consumer received
     */
    static long run(int count, PrintStream out) throws InterruptedException {
        Channel<Integer> numbers = Channel.buffered("numbers", 4);
        Channel<Square> squares = Channel.rendezvous("squares");
        out.println("starting: 1 producer -> [numbers, buffered 4] -> 2 workers -> [squares, rendezvous] -> consumer");

        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofVirtual().name("producer").start(() -> produce(count, numbers, out)));
        AtomicInteger workersLeft = new AtomicInteger(2);
        for (int w = 1; w <= 2; w++) {
            String name = "worker-" + w;
            threads.add(Thread.ofVirtual().name(name).start(
                    () -> square(name, numbers, squares, workersLeft, out)));
        }

        long sum = 0;
        int received = 0;
        for (Square s : squares) {
            received++;
            sum += s.square();
            out.printf("consumer: received %d^2 = %d from %s%n", s.n(), s.square(), s.worker());
        }
        out.printf("consumer: squares closed after %d elements%n", received);
        for (Thread t : threads) {
            t.join();
        }
        return sum;
    }

    private static void produce(int count, SendChannel<Integer> numbers, PrintStream out) {
        try {
            for (int n = 1; n <= count; n++) {
                numbers.send(n);
                out.printf("producer: sent %d%n", n);
            }
            numbers.close();
            out.println("producer: closed numbers");
        } catch (InterruptedException e) {
            numbers.fail(e);
        }
    }

    private static void square(
            String name,
            ReceiveChannel<Integer> numbers,
            SendChannel<Square> squares,
            AtomicInteger workersLeft,
            PrintStream out) {
        try {
            for (int n : numbers) {
                squares.send(new Square(n, (long) n * n, name));
            }
            if (workersLeft.decrementAndGet() == 0) {
                squares.close();
                out.printf("%s: numbers drained, closed squares%n", name);
            }
        } catch (InterruptedException | RuntimeException e) {
            squares.fail(e);
        }
    }
}
