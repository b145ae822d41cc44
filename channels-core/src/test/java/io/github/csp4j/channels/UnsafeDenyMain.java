package io.github.csp4j.channels;

import java.time.Duration;
import java.util.List;

/**
 * The workload {@link UnsafeDenyTest} runs in a child JVM: {@value #ELEMENTS} elements through
 * every kind of channel, by a producer and a consumer on virtual threads, with blocking, timed and
 * try operations, iteration, close and fail, so that every code path that could touch
 * {@code sun.misc.Unsafe} runs. Exits with status 0 if everything arrived in order, 1 otherwise.
 */
final class UnsafeDenyMain {
    static final int ELEMENTS = 100_000;

    private UnsafeDenyMain() {}

    public static void main(String[] args) throws Exception {
        List<Channel<Integer>> channels = List.of(Channel.rendezvous(), Channel.buffered(1), Channel.buffered(2),
                Channel.buffered(16), Channel.buffered(1024), Channel.unbounded());
        for (Channel<Integer> channel : channels) {
            String problem = run(channel);
            if (problem != null) {
                System.err.println(channel.name() + ": " + problem);
                System.exit(1);
            }
            System.out.println(channel.name() + ": " + ELEMENTS + " elements in order");
        }
        System.exit(0);
    }

    private static String run(Channel<Integer> channel) throws InterruptedException {
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < ELEMENTS; i++) {
                    switch (i % 3) {
                        case 0 -> channel.send(i);
                        case 1 -> {
                            while (!channel.send(i, Duration.ofMillis(1))) {
                                Thread.onSpinWait();
                            }
                        }
                        default -> {
                            while (!channel.trySend(i)) {
                                Thread.yield();
                            }
                        }
                    }
                }
                channel.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int[] next = {0};
        String[] problem = {null};
        Thread consumer = Thread.ofVirtual().start(() -> {
            try {
                while (next[0] < ELEMENTS / 2) {
                    Integer element = next[0] % 2 == 0 ? channel.receive() : channel.receive(Duration.ofMillis(1));
                    if (element != null && !check(element, next, problem)) {
                        return;
                    }
                }
                for (Integer element : channel) {
                    if (!check(element, next, problem)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                problem[0] = "interrupted";
            }
        });
        producer.join();
        consumer.join();
        if (problem[0] != null) {
            return problem[0];
        }
        if (next[0] != ELEMENTS) {
            return "received " + next[0] + " elements";
        }
        Channel<Integer> failed = Channel.buffered(4);
        failed.trySend(1);
        failed.fail(new IllegalStateException("test"));
        try {
            return "a failed channel delivered " + failed.tryReceive();
        } catch (ChannelClosedException expected) {
            return null;
        }
    }

    private static boolean check(int element, int[] next, String[] problem) {
        if (element != next[0]) {
            problem[0] = "expected " + next[0] + " but received " + element;
            return false;
        }
        next[0]++;
        return true;
    }
}
