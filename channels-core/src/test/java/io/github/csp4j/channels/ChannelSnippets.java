package io.github.csp4j.channels;

import java.util.ArrayList;
import java.util.List;

/**
 * The code shown in the javadoc of the API, compiled and run by {@code ChannelSnippetsTest} so the
 * documentation cannot drift from what the library does.
 */
final class ChannelSnippets {
    private ChannelSnippets() {}

    /** A producer and a consumer on two virtual threads, joined by a buffered channel. */
    static List<String> pipeline() throws InterruptedException {
        // @start region=pipeline
        Channel<String> lines = Channel.buffered("lines", 16);
        Thread producer = Thread.startVirtualThread(() -> {
            try {
                for (int i = 1; i <= 3; i++) {
                    lines.send("line " + i);      // waits while 16 lines are buffered
                }
                lines.close();                     // graceful: buffered lines are still delivered
            } catch (InterruptedException e) {
                lines.fail(e);                     // the consumer sees the failure
            }
        });
        List<String> received = new ArrayList<>();
        for (String line : lines) {                // ends when the channel is closed and drained
            received.add(line);
        }
        producer.join();
        // @end
        return received;
    }

    /** A consumer loop over a receive channel. */
    static int consumerLoop(ReceiveChannel<Integer> numbers) {
        // @start region=consumerLoop
        int sum = 0;
        for (int n : numbers) {                    // waits for each element
            sum += n;
        }                                          // ends once numbers is closed and drained
        // @end
        return sum;
    }

    /** A loop that tells a graceful close from a failure. */
    static String receiveOrClosed(ReceiveChannel<String> jobs) throws InterruptedException {
        StringBuilder log = new StringBuilder();
        // @start region=receiveOrClosed
        while (true) {
            switch (jobs.receiveOrClosed()) {
                case ReceiveResult.Received<String>(String job) -> log.append("ran ").append(job).append('\n');
                case ReceiveResult.Closed<String>(Throwable cause) when cause == null -> {
                    return log.append("done").toString();
                }
                case ReceiveResult.Closed<String>(Throwable cause) -> {
                    return log.append("failed: ").append(cause.getMessage()).toString();
                }
            }
        }
        // @end
    }
}
