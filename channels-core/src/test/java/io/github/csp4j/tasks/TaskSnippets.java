package io.github.csp4j.tasks;

import io.github.csp4j.channels.ReceiveChannel;
import java.util.List;

/** The examples of the task-scope javadoc, compiled and run by {@link TaskScopeContractTest}. */
final class TaskSnippets {
    private TaskSnippets() {}

    record User(String name) {}

    static User fetchUser(int id) {
        return new User("user-" + id);
    }

    static List<String> fetchOrders(int id) {
        return List.of("order-" + id);
    }

    /** Fetches a user and their orders at once. */
    static String fanOut(int id) throws InterruptedException {
        // @start region=fanOut
        try (var scope = TaskScope.open("profile")) {
            Task<User> user = scope.fork(() -> fetchUser(id));
            Task<List<String>> orders = scope.fork(() -> fetchOrders(id));
            scope.join(); // waits for both; throws TaskFailedException if one failed
            return user.get().name() + " " + orders.get();
        }
        // @end
    }

    /** Sums the squares of 1..n through a two-stage pipeline. */
    static long pipeline(int n) throws InterruptedException {
        // @start region=produce
        try (var scope = TaskScope.open("pipeline")) {
            ReceiveChannel<Integer> numbers = scope.produce("numbers", 16, out -> {
                for (int i = 1; i <= n; i++) {
                    out.send(i);
                }
            }); // closed when the producer returns, failed if it throws
            ReceiveChannel<Long> squares = scope.produce("squares", 16, out -> {
                for (int i : numbers) {
                    out.send((long) i * i);
                }
            });
            long sum = 0;
            for (long square : squares) {
                sum += square;
            }
            scope.join();
            return sum;
        }
        // @end
    }
}
