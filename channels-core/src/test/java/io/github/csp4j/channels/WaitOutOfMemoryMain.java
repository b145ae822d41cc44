package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
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
 * element of the sender that threw, and a plain exchange still works. And on an unbounded and a
 * buffered(1024) channel, a receive and a send whose ticket needs a new segment while the heap is
 * full: they wait for memory and complete once it is freed ({@link #atNewSegment}); and a
 * receiveOrClosed whose result cannot be allocated after it took its element waits alike
 * ({@link #receiveOrClosedWrapping}). Prints one line per case; exits with status 0 if every case
 * passed, 1 otherwise.
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
                if (kind == ChannelKind.UNBOUNDED || kind == ChannelKind.BUFFERED_16) {
                    report(problems, kind + " receiveOrClosed wrapping its element, " + thread,
                            receiveOrClosedWrapping(kind, virtual));
                }
                if (kind == ChannelKind.UNBOUNDED || kind == ChannelKind.BUFFERED_1024) {
                    for (boolean receive : new boolean[] {true, false}) {
                        report(problems, kind + (receive ? " receive" : " send") + " at a new segment, "
                                + thread, atNewSegment(kind, receive, virtual));
                    }
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
     * {@return what is wrong after a send or receive ran out of memory in its ticket's segment, or
     * null} Both sides have passed the first segment's cells with {@code try} operations, which
     * never wait and so never append a segment ahead, so the operation takes the first ticket of
     * a segment nobody has made yet, and makes it: that allocation fails. It must wait for memory
     * with its ticket and then go on, not throw and leave the ticket's other party unpaired. Once
     * it is parked on the channel (after its ticket: it waits for nothing else before its wait,
     * which needs the segment), this thread frees the heap; the receive then gets an element sent
     * after, the send's element is received.
     */
    private static String atNewSegment(ChannelKind kind, boolean receive, boolean virtual) throws Exception {
        warmUpSegments(kind);
        Channel<String> ch = kind.create("oom");
        for (int i = 0; i < SEGMENT_SIZE; i++) {
            String element = Integer.toString(i);
            if (!ch.trySend(element) || !element.equals(ch.tryReceive())) {
                return "the first segment's exchanges failed at " + i + ": " + ch;
            }
        }
        String[] received = new String[1];
        String element = "sent at the new segment"; // resolved before the heap is full
        Duration wait = Duration.ofSeconds(30);
        Callable<?> operation = receive ? () -> received[0] = ch.receive(wait) : () -> ch.send(element, wait);
        String problem = waitedForMemory(virtual, ch, operation,
                () -> !receive || ch.trySend(element) ? null : "trySend refused after the receive: " + ch);
        if (problem != null) {
            return problem;
        }
        String got = receive ? received[0] : ch.tryReceive();
        if (!element.equals(got)) {
            return "received " + got + " for the element sent at the new segment: " + ch;
        }
        return exchangeProblem(ch);
    }

    /**
     * {@return what is wrong after receiveOrClosed took a buffered element with the heap full, or
     * null} Taking it allocates nothing; the object that carries it out does, after the element
     * has left the channel. The receive must wait for memory then, parked on the channel, and
     * return the element once this thread frees the heap, not throw and lose it.
     */
    private static String receiveOrClosedWrapping(ChannelKind kind, boolean virtual) throws Exception {
        Channel<String> ch = kind.create("oom");
        ch.trySend("warm");
        ch.receiveOrClosed(); // loads ReceiveResult.Received
        String element = "buffered before the heap was full";
        ch.trySend(element);
        Object[] received = new Object[1];
        String problem = waitedForMemory(virtual, ch, () -> received[0] = ch.receiveOrClosed(), () -> null);
        if (problem != null) {
            return problem;
        }
        if (!(received[0] instanceof ReceiveResult.Received<?> result) || !element.equals(result.element())) {
            return "receiveOrClosed returned " + received[0] + ": " + ch;
        }
        return exchangeProblem(ch);
    }

    /**
     * Runs {@code operation} on a new thread (virtual if {@code virtual}) that fills the heap
     * first; once the thread is parked on {@code ch}, waiting for memory, frees the heap, runs
     * {@code onceFreed} (which may give the operation what it waits for) and joins the thread.
     * {@return what is wrong, or null: onceFreed's problem, an error the operation threw, or that
     * it never waited for memory}
     */
    private static String waitedForMemory(boolean virtual, Channel<String> ch, Callable<?> operation,
            Supplier<String> onceFreed) throws InterruptedException {
        Thread thread = start(virtual, operation, null); // this thread watches it, allocating nothing
        boolean parked = awaitParkedOn(thread, ch);
        held = null; // frees the heap: the operation's next try allocates what it waited for
        String problem = onceFreed.get();
        thread.join();
        if (problem != null) {
            return problem;
        }
        if (outcome != null) {
            return "expected no error, got " + outcome + (parked ? "" : " without waiting for memory") + ": " + ch;
        }
        if (!parked) {
            return "the operation did not wait for memory (did its allocation fail?): " + ch;
        }
        return null;
    }

    /** The cells of a segment: io.github.csp4j.segmentSize's default. */
    private static final int SEGMENT_SIZE = 32;

    /**
     * Loads and links, before the heap is full, what an operation at a segment's first ticket
     * runs: 3 segments' worth of try operations, then a receive and a send that wait.
     */
    private static void warmUpSegments(ChannelKind kind) throws Exception {
        Channel<String> ch = kind.create("warm");
        for (int i = 0; i < 3 * SEGMENT_SIZE; i++) {
            ch.trySend("warm");
            ch.tryReceive();
        }
        ch.receive(Duration.ofMillis(1));
        ch.send("warm", Duration.ofMillis(1));
        ch.tryReceive();
    }

    /**
     * {@return whether {@code thread} parked, timed, with {@code channel} as its blocker (it
     * waits for memory) before it ended} Allocates nothing while it watches: the heap is full.
     */
    private static boolean awaitParkedOn(Thread thread, Channel<?> channel) {
        while (true) {
            Thread.State state = thread.getState();
            if (state == Thread.State.TERMINATED) {
                return false;
            }
            if (state == Thread.State.TIMED_WAITING && LockSupport.getBlocker(thread) == channel) {
                return true;
            }
            Thread.onSpinWait();
        }
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
        start(virtual, operation, Thread.currentThread()).join();
        System.gc();
        return outcome;
    }

    /** What the last operation that start ran threw, or null: set by its thread before it ends. */
    private static Throwable outcome;

    /**
     * {@return a new started thread (virtual if {@code virtual}) that fills the heap and then runs
     * {@code operation}, holding everything it allocated until the operation returns or throws}
     * What the operation throws goes into {@link #outcome}. If {@code joiner} is not null, the
     * thread fills the heap only once {@code joiner} waits (in its join, which allocates as it
     * begins).
     */
    private static Thread start(boolean virtual, Callable<?> operation, Thread joiner) {
        outcome = null;
        Runnable body = () -> {
            while (joiner != null && joiner.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            fillHeap();
            try {
                operation.call();
            } catch (Throwable t) {
                outcome = t;
            }
            held = null; // nothing that allocates before this, not even a method's first link
        };
        Thread thread = virtual ? Thread.ofVirtual().unstarted(body) : Thread.ofPlatform().unstarted(body);
        thread.start();
        return thread;
    }

    /**
     * Allocates into {@link #held} until not even the smallest object (16 bytes) fits after a
     * full collection: arrays halving in size down to one element, then pairs (24 bytes), then
     * plain objects, kept in an array made first.
     */
    private static void fillHeap() {
        Object[] smallest = new Object[8];
        held = new Object[] {smallest, null};
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
                break;
            }
        }
        for (int i = 0; i < smallest.length; i++) {
            try {
                smallest[i] = new Object();
            } catch (OutOfMemoryError e) {
                return;
            }
        }
    }
}
