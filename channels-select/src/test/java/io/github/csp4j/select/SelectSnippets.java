package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onReceiveOrClosed;
import static io.github.csp4j.select.Select.onTimeout;
import static io.github.csp4j.select.Select.select;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.ReceiveResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The examples of the select javadoc, compiled and run by {@link SelectSnippetsTest}. */
final class SelectSnippets {
    private SelectSnippets() {}

    /** Merges two channels until both are closed, or nothing arrives for a second. */
    static List<String> merge(ReceiveChannel<String> orders, ReceiveChannel<String> refunds) throws InterruptedException {
        // @start region=merge
        List<String> log = new ArrayList<>();
        try {
            while (true) {
                String line = select(
                        onReceive(orders, order -> "order " + order),
                        onReceive(refunds, refund -> "refund " + refund),
                        onTimeout(Duration.ofSeconds(1), () -> "idle"));
                if (line.equals("idle")) {
                    break;
                }
                log.add(line);
            }
        } catch (ChannelClosedException closed) {
            if (closed.getCause() != null) {
                throw closed; // a failed channel: its failure is passed on, not taken for an end
            }
            // a closed and drained channel's clause is skipped; once both are, the loop ends
        }
        // @end
        return log;
    }

    /**
     * Receives from jobs until it closes, counting the elements, with one reused selector; throws
     * if jobs failed.
     */
    static int drain(Channel<Integer> jobs) throws InterruptedException {
        // @start region=selector
        Selector<ReceiveResult<Integer>> next = Select.selector(onReceiveOrClosed(jobs, result -> result));
        int count = 0;
        while (true) {
            switch (next.select()) {
                case ReceiveResult.Received<Integer> received -> count++; // a job: received.element()
                case ReceiveResult.Closed<Integer> closed when closed.cause() != null ->
                        throw new IllegalStateException("jobs failed", closed.cause());
                case ReceiveResult.Closed<Integer> closed -> {
                    return count; // closed and drained
                }
            }
        }
        // @end
    }
}
