package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workload {@link WaitOutOfMemoryTest} runs in a child JVM with a small heap: for every kind
 * of channel, on a platform and on a virtual thread, a blocked receive (and on a rendezvous
 * channel a blocked send) whose thread has filled the heap first, so that the first allocation of
 * its wait, its waiter, made after it placed itself in its cell, throws {@code OutOfMemoryError}.
 * Then, with the heap freed, it checks what a timeout would have left: the error reached the
 * caller, the operation had taken its ticket ({@code toString()}'s counters), no thread is named
 * as waiting, a later element is neither taken by the receiver that threw nor mixed with the
 * element of the sender that threw, and a plain exchange still works. Prints one line per case;
 * exits with status 0 if every case passed, 1 otherwise.
 */
final class WaitOutOfMemoryMain {
    /**
     * The chain of objects that fills the heap: one operating thread at a time sets and
     * clears it.
     */
    private static Object[] held;

    private WaitOutOfMemoryMain() {}

    public static void main(String[] args) throws Exception {
        List<String> problems = new ArrayList<>();
        for (ChannelKind kind : ChannelKind.values()) {
            for (boolean virtual : new boolean[] {false, true}) {
                String thread = virtual ? "virtual" : "platform";
                report(problems, kind + " receive, " + thread, receive(kind, virtual));
                if (kind.isRendezvous()) {
                    report(problems, kind + " send, " + thread, send(kind, virtual));
                }
            }
        }
        problems.forEach(System.err::println);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static void report(List<String> problems, String name, String problem) {
        if (problem == null) {
            System.out.println(name + ": ok");
        } else {
            problems.add(name + ": " + problem);
        }
    }

    /** {@return what is wrong after a receive ran out of memory in its wait, or null} */
    private static String receive(ChannelKind kind, boolean virtual) throws Exception {
        Channel<String> ch = kind.create("oom");
        warmUp(ch, kind);
        String before = ch.toString();
        Duration wait = Duration.ofSeconds(30);
        Throwable thrown = outOfMemoryIn(virtual, () -> ch.receive(wait));
        String problem = afterError(ch, thrown, before, "receivers");
        if (problem != null) {
            return problem;
        }
        if (kind.isRendezvous()) {
            if (ch.trySend("after")) {
                return "a receiver that threw took a later element: " + ch;
            }
        } else if (!ch.trySend("after") || !"after".equals(ch.tryReceive())) {
            return "a later element did not stay for tryReceive: " + ch;
        }
        return exchangeProblem(ch);
    }

    /** {@return what is wrong after a rendezvous send ran out of memory in its wait, or null} */
    private static String send(ChannelKind kind, boolean virtual) throws Exception {
        Channel<String> ch = kind.create("oom");
        warmUp(ch, kind);
        String before = ch.toString();
        Duration wait = Duration.ofSeconds(30);
        String element = "sent by a send that threw"; // resolved before the heap is full
        Throwable thrown = outOfMemoryIn(virtual, () -> ch.send(element, wait));
        String problem = afterError(ch, thrown, before, "senders");
        if (problem != null) {
            return problem;
        }
        String received = ch.tryReceive();
        if (received != null) {
            return "received \"" + received + "\" after its send threw: " + ch;
        }
        return exchangeProblem(ch);
    }

    /**
     * {@return what is wrong with the error and the channel's state after it, or null} The
     * operation threw OutOfMemoryError after it took a ticket on {@code side} ("senders" or
     * "receivers"), and no thread is named as waiting.
     */
    private static String afterError(Channel<String> ch, Throwable thrown, String before, String side) {
        String state = ch.toString();
        if (!(thrown instanceof OutOfMemoryError)) {
            return "expected an OutOfMemoryError, got " + thrown + ": " + state;
        }
        if (tickets(state, side) <= tickets(before, side)) {
            return "the error came before the ticket (" + before + " before): " + state;
        }
        if (state.contains("waiting")) {
            return "a thread is named as waiting: " + state;
        }
        return null;
    }

    /**
     * Loads and initializes, before the heap is full, the classes the operation and its wait use
     * on either kind of thread, and makes the channel's counters and first segment: a receive, and
     * on a rendezvous channel a send, each timing out after a wait.
     */
    private static void warmUp(Channel<String> ch, ChannelKind kind) throws Exception {
        Callable<Object> waits = () -> {
            ch.receive(Duration.ofMillis(1));
            return kind.isRendezvous() ? ch.send("warm", Duration.ofMillis(1)) : null;
        };
        waits.call();
        Thread virtual = Thread.ofVirtual().start(() -> {
            try {
                waits.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        virtual.join();
    }

    /**
     * {@return the tickets taken on {@code side} ("senders" or "receivers") as {@code state}
     * shows them}
     */
    private static long tickets(String state, String side) {
        Matcher count = Pattern.compile(side + "=(\\d+)").matcher(state);
        return count.find() ? Long.parseLong(count.group(1)) : -1;
    }

    /** {@return what is wrong with a plain exchange on the channel now, or null} */
    private static String exchangeProblem(Channel<String> ch) throws InterruptedException {
        Thread sender = Thread.ofVirtual().start(() -> {
            try {
                ch.send("later");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String received = ch.receive(Duration.ofSeconds(30));
        if (!"later".equals(received) || !sender.join(Duration.ofSeconds(30))) {
            return "a plain exchange afterwards received " + received + ": " + ch;
        }
        return null;
    }

    /**
     * Runs {@code operation} on a new thread (virtual if {@code virtual}) that first fills the
     * heap, holding everything it allocates until the operation returns or throws. {@return what
     * the operation threw, or null if it returned}
     */
    private static Throwable outOfMemoryIn(boolean virtual, Callable<?> operation) throws InterruptedException {
        Throwable[] outcome = new Throwable[1];
        Runnable body = () -> {
            fillHeap();
            try {
                operation.call();
            } catch (Throwable t) {
                outcome[0] = t;
            }
            held = null; // nothing that allocates before this, not even a method's first link
        };
        Thread thread = virtual ? Thread.ofVirtual().unstarted(body) : Thread.ofPlatform().unstarted(body);
        thread.start();
        thread.join();
        System.gc();
        return outcome[0];
    }

    /**
     * Allocates into {@link #held} until not even an object of 24 bytes fits after a full
     * collection: arrays halving in size down to one element, then pairs.
     */
    private static void fillHeap() {
        held = new Object[] {null, null};
        for (int size = 1 << 20; size > 0; ) {
            try {
                held = new Object[] {new long[size], held};
            } catch (OutOfMemoryError e) {
                size >>>= 1;
            }
        }
        while (true) {
            try {
                held = new Object[] {null, held};
            } catch (OutOfMemoryError e) {
                return;
            }
        }
    }
}
