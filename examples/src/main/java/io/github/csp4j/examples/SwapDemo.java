package io.github.csp4j.examples;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.select.Select;
import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskScope;
import io.github.csp4j.tasks.TaskScopeTimeoutException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Two tasks swap a value each over two rendezvous channels: a deadlock, and its fix with
 * {@link Select#select select}.
 *
 * <p>First each side sends its value, then receives the other's. A rendezvous send waits for its
 * receiver, and both receivers are still sending: each waits for the other for ever. The scope's
 * timeout ends the wait and its {@link TaskScopeTimeoutException} says who waited for what:
 * each task, and the channel it waited on. Then each side sends and receives at once, in one
 * select, and does the other half once one half is done: whichever half meets the other side
 * first, both swaps complete, in a scope that needs no timeout.
 *
 * <p>What it prints:
 * <pre>
 * send, then receive:
 *   scope 'swap' did not finish within PT1S; unfinished then: [left waiting on left-to-right,
 *   right waiting on right-to-left]; its tasks were cancelled
 * send and receive in one select:
 *   left got "from right", right got "from left"
 * </pre>
 * (the exception's message is one line).
 *
 * <p>Run with {@code ./mvnw -q -Pdemo -pl examples -am verify
 * -Ddemo.mainClass=io.github.csp4j.examples.SwapDemo}.
 */
public final class SwapDemo {
    private SwapDemo() {}

    /**
     * What the owner does before it joins the scope: {@code main} nothing; the test waits until
     * both tasks are parked, so that what the timeout reports does not depend on the deadline
     * being long enough for them to get there.
     */
    @FunctionalInterface
    interface BeforeJoin {
        void accept(TaskScope scope) throws InterruptedException;
    }

    /** One side's way to swap: sends {@code value} on {@code out}, receives on {@code in}. */
    @FunctionalInterface
    interface Swap {
        String swap(SendChannel<String> out, ReceiveChannel<String> in, String value) throws InterruptedException;
    }

    /** Runs the deadlocking swap with a one-second timeout, then the swap by select; prints. */
    public static void main(String[] args) throws InterruptedException {
        run(System.out, Duration.ofSeconds(1), scope -> { });
    }

    /**
     * Runs both swaps and prints what happened: the first, which deadlocks, in a scope with
     * {@code timeout}; the second, by select, in a scope without one, as it needs none.
     *
     * @param out where it prints
     * @param timeout the deadline of the deadlocking swap's scope
     * @param beforeJoin what the owner of that scope does between the forks and {@code join}
     * @throws InterruptedException if the calling thread was interrupted while it waited
     */
    static void run(PrintStream out, Duration timeout, BeforeJoin beforeJoin) throws InterruptedException {
        out.println("send, then receive:");
        try {
            out.println("  " + swap(SwapDemo::sendThenReceive, timeout, beforeJoin));
        } catch (TaskScopeTimeoutException e) {
            out.println("  " + e.getMessage());
        }
        out.println("send and receive in one select:");
        out.println("  " + swap(SwapDemo::sendAndReceive, null, scope -> { }));
    }

    /**
     * Lets two tasks, {@code left} and {@code right}, swap their values with {@code swap}.
     *
     * @param timeout the scope's deadline, or {@code null} for none
     * @return what each got
     * @throws TaskScopeTimeoutException if they did not finish within {@code timeout}
     * @throws InterruptedException if the calling thread was interrupted while it waited
     */
    static String swap(Swap swap, Duration timeout, BeforeJoin beforeJoin) throws InterruptedException {
        Channel<String> leftToRight = Channel.rendezvous("left-to-right");
        Channel<String> rightToLeft = Channel.rendezvous("right-to-left");
        TaskScope.Builder builder = TaskScope.builder().name("swap");
        if (timeout != null) {
            builder.timeout(timeout);
        }
        try (TaskScope scope = builder.open()) {
            Task<String> left = scope.fork("left", () -> swap.swap(leftToRight, rightToLeft, "from left"));
            Task<String> right = scope.fork("right", () -> swap.swap(rightToLeft, leftToRight, "from right"));
            beforeJoin.accept(scope);
            scope.join();
            return "left got \"" + left.get() + "\", right got \"" + right.get() + "\"";
        }
    }

    /** The bug: a rendezvous send waits for a receiver, and the other side is sending too. */
    static String sendThenReceive(SendChannel<String> out, ReceiveChannel<String> in, String value)
            throws InterruptedException {
        out.send(value);
        return in.receive();
    }

    /**
     * The fix: offer both halves in one select, which completes whichever the other side meets
     * first, then do the other half.
     */
    static String sendAndReceive(SendChannel<String> out, ReceiveChannel<String> in, String value)
            throws InterruptedException {
        String received = Select.select(onSend(out, value, () -> null), onReceive(in, other -> other));
        if (received == null) { // sent first: now the other side sends
            return in.receive();
        }
        out.send(value); // received first: the other side now receives
        return received;
    }
}
