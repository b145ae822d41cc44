package io.github.csp4j.examples;

import io.github.csp4j.tasks.Task;
import io.github.csp4j.tasks.TaskFailedException;
import io.github.csp4j.tasks.TaskScope;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Asks three replicas for one value and takes the first answer: a {@link TaskScope.Policy#RACE
 * RACE} scope. The first task to succeed wins; the scope then cancels the others, which are
 * interrupted wherever they wait, and {@code join} returns once every one has ended, so no
 * replica's thread outlives the question. A replica that fails before the race is won does not
 * end it: its failure stays in its task. Only if every replica fails does {@code join} throw
 * {@link TaskFailedException}, with every failure.
 *
 * <p>What it prints (eu and us answer after sleeps of 500 and 20 ms and asia fails at once, so on
 * a busy machine the first part may differ):
 * <pre>
 * asked eu, us, asia
 *   us won: 42 from us
 *   eu ended CANCELLED
 *   asia ended FAILED: replica asia is down
 * asked asia only
 *   no answer: scope 'lookup': task asia failed: java.lang.IllegalStateException: replica asia
 *   is down
 * </pre>
 * (the last line is one line).
 *
 * <p>Run with {@code ./mvnw -q -Pdemo -pl examples -am verify
 * -Ddemo.mainClass=io.github.csp4j.examples.RaceDemo}.
 */
public final class RaceDemo {
    private RaceDemo() {}

    /** Asks three replicas, then one that is down; prints to stdout. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, Callable<String>> replicas = new LinkedHashMap<>();
        replicas.put("eu", () -> answerAfter("eu", Duration.ofMillis(500)));
        replicas.put("us", () -> answerAfter("us", Duration.ofMillis(20)));
        replicas.put("asia", () -> down("asia"));
        run(System.out, replicas);
        run(System.out, Map.of("asia", () -> down("asia")));
    }

    /** A replica that answers after {@code delay}; an interrupt (the race lost) ends it early. */
    static String answerAfter(String replica, Duration delay) throws InterruptedException {
        Thread.sleep(delay);
        return "42 from " + replica;
    }

    /** A replica that fails at once. */
    static String down(String replica) {
        throw new IllegalStateException("replica " + replica + " is down");
    }

    /**
     * Asks every replica in {@code replicas} at once, each in a task of a race, and prints which
     * answered first and how each other task ended; or, if none answered, why.
     *
     * @param out where it prints
     * @param replicas each replica's name and what asking it does, in the order they are asked
     * @return the first answer, or {@code null} if every replica failed
     * @throws InterruptedException if the calling thread was interrupted while it waited
     */
    static String run(PrintStream out, Map<String, Callable<String>> replicas) throws InterruptedException {
        out.println("asked " + String.join(", ", replicas.keySet()) + (replicas.size() == 1 ? " only" : ""));
        try (TaskScope scope = TaskScope.builder().name("lookup").policy(TaskScope.Policy.RACE).open()) {
            List<Task<String>> asked = new ArrayList<>();
            replicas.forEach((name, replica) -> asked.add(scope.fork(name, replica)));
            try {
                scope.join();
            } catch (TaskFailedException e) {
                out.println("  no answer: " + e.getMessage());
                return null;
            }
            Task<?> winner = scope.winner();
            String answer = (String) winner.get();
            out.println("  " + winner.name() + " won: " + answer);
            for (Task<String> task : asked) {
                if (task != winner) {
                    Throwable failure = task.state() == Task.State.FAILED ? task.exception() : null;
                    out.println("  " + task.name() + " ended " + task.state()
                            + (failure != null ? ": " + failure.getMessage() : ""));
                }
            }
            return answer;
        }
    }
}
