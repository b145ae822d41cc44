package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import io.github.csp4j.channels.testing.Async;
import io.github.csp4j.channels.testing.UnreadableException;
import static io.github.csp4j.channels.testing.Mixed.mix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@link Channel}, {@link SendChannel} and {@link ReceiveChannel} (and of the
 * exception and result types they use), run against every {@link ChannelKind}.
 *
 * <p>Each test names the documented behaviour it checks. Threads that must be blocked in a channel
 * operation are started with {@link Async} and observed by their thread state, never ordered by
 * sleeping; a timed operation is only ever asserted to have waited at least its timeout.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChannelContractTest {
    private static final String NAME = "contract";

    /** A timeout that elapses during the test. */
    private static final Duration SHORT = Duration.ofMillis(20);

    /** A timeout that never elapses during a test (the class timeout is far shorter). */
    private static final Duration LONG = Duration.ofMinutes(10);

    /** Timeouts that mean "do not wait", including one too large to represent in nanoseconds. */
    private static final List<Duration> NO_WAIT = List.of(
            Duration.ZERO, Duration.ofNanos(-1), Duration.ofSeconds(-5), Duration.ofSeconds(Long.MIN_VALUE));

    /** Timeouts that mean "wait without limit": at or beyond what nanoseconds can represent. */
    private static final List<Duration> HUGE = List.of(
            Duration.ofSeconds(Long.MAX_VALUE),
            ChronoUnit.FOREVER.getDuration(),
            Duration.ofNanos(Long.MAX_VALUE),
            Duration.ofNanos(Long.MAX_VALUE - 1));

    /** Written plainly before a send or a close, read plainly after the matching receive. */
    private int plainCounter;

    private String plainNote;

    /* ---- factories ---- */

    @Test
    void factories_nullName_throwNullPointerException() {
        assertThrows(NullPointerException.class, () -> Channel.rendezvous(null));
        assertThrows(NullPointerException.class, () -> Channel.buffered(null, 1));
        assertThrows(NullPointerException.class, () -> Channel.unbounded(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void factories_blankName_throwIllegalArgumentException(String blank) {
        assertThrows(IllegalArgumentException.class, () -> Channel.rendezvous(blank));
        assertThrows(IllegalArgumentException.class, () -> Channel.buffered(blank, 1));
        assertThrows(IllegalArgumentException.class, () -> Channel.unbounded(blank));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void buffered_capacityBelowOne_throwsIllegalArgumentExceptionPointingToRendezvous(int capacity) {
        for (Executable create : List.<Executable>of(
                () -> Channel.buffered(capacity), () -> Channel.buffered("named", capacity))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create);
            assertTrue(e.getMessage().contains(Integer.toString(capacity)), e.getMessage());
            assertTrue(e.getMessage().contains("rendezvous("), e.getMessage());
        }
    }

    @Test
    void buffered_maxCapacity_acceptsManyElementsWithoutBlockingInOrder() throws InterruptedException {
        Channel<Integer> ch = Channel.buffered(NAME, Integer.MAX_VALUE);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                assertTrue(ch.trySend(i));
            } else {
                ch.send(i); // would hang (and hit the class timeout) if it blocked
            }
        }
        assertTrue(ch.send(n, Duration.ZERO));
        for (int i = 0; i <= n; i++) {
            assertEquals(i, ch.receive());
        }
        assertNull(ch.tryReceive());
    }

    @Test
    void buffered_maxCapacity_memoryGrowsWithElementsNotWithCapacity() {
        // If a channel reserved anything close to its capacity, a handful of them would exhaust the
        // heap; here each channel may cost at most 1/64 KiB of the heap before this runs out.
        int count = (int) Math.min(100_000, Runtime.getRuntime().maxMemory() / (64 * 1024));
        List<Channel<Integer>> channels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Channel<Integer> ch = Channel.buffered(Integer.MAX_VALUE);
            assertTrue(ch.trySend(i));
            channels.add(ch);
        }
        for (int i = 0; i < count; i++) {
            assertEquals(i, channels.get(i).tryReceive());
        }
    }

    /* ---- names ---- */

    @ForEachChannelKind
    void name_givenName_returnsItAndToStringShowsIt(ChannelKind kind) {
        Channel<String> ch = kind.create("orders");
        assertEquals("orders", ch.name());
        assertTrue(ch.toString().contains("orders"), ch.toString());
    }

    @ForEachChannelKind
    void name_generated_isUniqueAndNotBlank(ChannelKind kind) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Channel<String> ch = kind.create();
            assertNotNull(ch.name());
            assertFalse(ch.name().isBlank());
            assertTrue(ch.toString().contains(ch.name()), ch.toString());
            assertTrue(names.add(ch.name()), "duplicate name " + ch.name());
        }
    }

    @ForEachChannelKind
    void name_generatedConcurrentlyAndAgain_isTheSameName(ChannelKind kind) throws Exception {
        Channel<String> ch = kind.create();
        CountDownLatch go = new CountDownLatch(1);
        Async<String> first = Async.start(() -> {
            go.await();
            return ch.name();
        });
        Async<String> second = Async.start(() -> {
            go.await();
            return ch.name();
        });
        go.countDown();
        String name = first.join();
        assertEquals(name, second.join());
        assertEquals(name, ch.name());
        String prefix = kind.shownAs() + "-";
        assertTrue(name.startsWith(prefix), name + " should start with " + prefix);
    }

    @Test
    void name_generatedForDifferentKinds_unique() {
        Set<String> names = new HashSet<>();
        for (int round = 0; round < 100; round++) {
            for (ChannelKind kind : ChannelKind.values()) {
                String name = kind.create().name();
                assertTrue(names.add(name), "duplicate name " + name);
            }
        }
    }

    @ForEachChannelKind
    void closedException_generatedName_namesTheChannel(ChannelKind kind) {
        Channel<String> ch = kind.create();
        ch.close();
        ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> ch.trySend("x"));
        assertClosed(e, ch.name(), null);
    }

    /* ---- first use ---- */

    // A channel allocates its cells on first use (an empty channel is one small object): these
    // make many parties of one side arrive first, so that they need more than the first segment
    // (32 cells) before the other side has touched the cells at all.

    @ForEachChannelKind
    void receive_moreWaitingReceiversThanASegmentOnAFreshChannel_eachGetsOneElementInOrder(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        List<Async<String>> receivers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            receivers.add(Async.startBlocked(ch::receive));
        }
        for (int i = 0; i < 40; i++) {
            assertTrue(ch.trySend("e" + i), "e" + i + " with 40 receivers waiting");
        }
        for (int i = 0; i < 40; i++) {
            assertEquals("e" + i, receivers.get(i).join(), "receiver " + i);
        }
    }

    @ForEachChannelKind
    void send_moreWaitingSendersThanASegmentOnAFreshChannel_eachElementReceivedOnce(ChannelKind kind) throws Exception {
        assumeFalse(kind.isUnbounded(), "unbounded senders never wait");
        Channel<String> ch = kind.create(NAME);
        int room = kind.isBuffered() ? kind.capacity() : 0;
        for (int i = 0; i < room; i++) {
            ch.send("b" + i);
        }
        List<Async<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String element = "s" + i;
            senders.add(Async.runBlocked(() -> ch.send(element)));
        }
        Set<String> received = new HashSet<>();
        for (int i = 0; i < room + 40; i++) {
            assertTrue(received.add(ch.receive()), "received twice");
        }
        for (Async<Void> sender : senders) {
            sender.join();
        }
        assertEquals(room + 40, received.size());
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void close_freshChannel_closedForBothSidesWithoutFirstUse(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertTrue(ch.close());
        assertTrue(ch.isClosedForSend());
        assertTrue(ch.isClosedForReceive());
        assertThrows(ChannelClosedException.class, () -> ch.trySend("x"));
        assertThrows(ChannelClosedException.class, ch::tryReceive);
    }

    /* ---- exception and result types ---- */

    @Test
    void channelClosedException_nameOnly_namesChannelWithoutCause() {
        ChannelClosedException e = new ChannelClosedException("jobs");
        assertEquals("jobs", e.channelName());
        assertTrue(e.getMessage().contains("jobs"), e.getMessage());
        assertNull(e.getCause());
    }

    @Test
    void channelClosedException_withCause_namesChannelAndKeepsCause() {
        IllegalStateException cause = new IllegalStateException("boom");
        ChannelClosedException e = new ChannelClosedException("jobs", cause);
        assertEquals("jobs", e.channelName());
        assertTrue(e.getMessage().contains("jobs"), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void channelClosedException_nullArguments_throwNullPointerException() {
        assertThrows(NullPointerException.class, () -> new ChannelClosedException(null));
        assertThrows(NullPointerException.class, () -> new ChannelClosedException(null, new Exception()));
        assertThrows(NullPointerException.class, () -> new ChannelClosedException("jobs", null));
    }

    @Test
    void uncheckedInterruptedException_wrapsInterruptedException() {
        InterruptedException cause = new InterruptedException("stop");
        UncheckedInterruptedException e = new UncheckedInterruptedException(cause);
        assertSame(cause, e.getCause());
        assertEquals("stop", e.getMessage());
        assertThrows(NullPointerException.class, () -> new UncheckedInterruptedException(null));
    }

    @Test
    void receiveResult_receivedNull_throwsNullPointerExceptionNamingElement() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new ReceiveResult.Received<>(null));
        assertTrue(e.getMessage().contains("element"), e.getMessage());
        assertEquals("x", new ReceiveResult.Received<>("x").element());
        assertNull(new ReceiveResult.Closed<String>(null).cause());
    }

    @Test
    void receiveResult_sealed_permitsExactlyReceivedAndClosed() {
        assertTrue(ReceiveResult.class.isSealed());
        assertEquals(
                Set.of(ReceiveResult.Received.class, ReceiveResult.Closed.class),
                Set.of(ReceiveResult.class.getPermittedSubclasses()));
    }

    /* ---- null arguments ---- */

    @ForEachChannelKind
    void send_nullElement_throwsNullPointerExceptionNamingElementAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertNullElementSendsNothing(kind, ch -> () -> ch.send(null));
    }

    @ForEachChannelKind
    void sendTimed_nullElement_throwsNullPointerExceptionNamingElementAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertNullElementSendsNothing(kind, ch -> () -> ch.send(null, LONG));
        assertNullElementSendsNothing(kind, ch -> () -> ch.send(null, Duration.ZERO));
    }

    @ForEachChannelKind
    void trySend_nullElement_throwsNullPointerExceptionNamingElementAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertNullElementSendsNothing(kind, ch -> () -> ch.trySend(null));
    }

    /** With a receiver waiting (so any send would complete at once), {@code call} must send nothing. */
    private static void assertNullElementSendsNothing(ChannelKind kind, Function<Channel<String>, Executable> call)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        NullPointerException e = assertThrows(NullPointerException.class, call.apply(ch));
        assertTrue(e.getMessage().contains("element"), e.getMessage());
        ch.send("after");
        assertEquals("after", receiver.join(), "the receiver must get the first element that entered");
        assertNull(ch.tryReceive());
        assertFalse(ch.isClosedForSend());
    }

    @ForEachChannelKind
    void sendTimed_nullTimeout_throwsNullPointerExceptionNamingTimeoutAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        NullPointerException e = assertThrows(NullPointerException.class, () -> ch.send("x", null));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        ch.send("after");
        assertEquals("after", receiver.join());
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receiveTimed_nullTimeout_throwsNullPointerExceptionNamingTimeoutAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        NullPointerException e = assertThrows(NullPointerException.class, () -> ch.receive(null));
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertEquals("x", ch.receive());
        sender.join();
    }

    @ForEachChannelKind
    void fail_nullCause_throwsNullPointerExceptionNamingCauseAndChangesNothing(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        NullPointerException e = assertThrows(NullPointerException.class, () -> ch.fail(null));
        assertTrue(e.getMessage().contains("cause"), e.getMessage());
        assertFalse(ch.isClosedForSend());
        assertFalse(ch.isClosedForReceive());
        assertEquals("x", ch.receive());
        sender.join();
        assertTrue(ch.close());
    }

    /* ---- send ---- */

    @ForEachChannelKind
    void send_rendezvousWithoutReceiver_returnsOnlyOnceAReceiverTookTheElement(ChannelKind kind)
            throws InterruptedException {
        assumeTrue(kind.isRendezvous());
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = Async.runBlocked(() -> ch.send("x"));
        assertFalse(sender.isDone());
        assertEquals("x", ch.receive());
        sender.join();
    }

    @ForEachChannelKind
    void send_receiverWaiting_handsTheElementOver(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        ch.send("x");
        assertEquals("x", receiver.join());
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void trySend_rendezvousWithoutReceiver_returnsFalseAndSendsNothing(ChannelKind kind) throws InterruptedException {
        assumeTrue(kind.isRendezvous());
        Channel<String> ch = kind.create(NAME);
        assertFalse(ch.trySend("x"));
        assertNull(ch.tryReceive());
        Async<String> receiver = Async.startBlocked(ch::receive);
        ch.send("y");
        assertEquals("y", receiver.join());
    }

    @ForEachChannelKind
    void trySend_receiverBlockedInReceive_returnsTrueAndHandsOver(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertTrue(ch.trySend("x"));
        assertEquals("x", receiver.join());
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void trySend_receiversWaitingButNotYetRunning_handsEachElementOverWithoutUsingTheBuffer(ChannelKind kind) {
        // More receivers wait than the buffer holds. Each element goes straight to a waiting
        // receiver, so none is buffered and no send may fail for want of room, even while the
        // receivers have not run yet to return from receive().
        int waiting = kind.isBuffered() ? kind.capacity() + 1 : 4;
        Channel<String> ch = kind.create(NAME);
        List<Async<String>> receivers = new ArrayList<>();
        for (int i = 0; i < waiting; i++) {
            receivers.add(Async.startBlocked(ch::receive));
        }
        List<String> refused = new ArrayList<>();
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            for (int i = 0; i < waiting; i++) {
                if (!ch.trySend("e" + i)) {
                    refused.add("e" + i);
                }
            }
        } finally {
            hold.release();
        }
        assertEquals(List.of(), refused, "trySend refused these although " + waiting + " receivers were waiting");
        for (int i = 0; i < waiting; i++) {
            assertEquals("e" + i, receivers.get(i).join(), "receiver " + i);
        }
    }

    @ForEachChannelKind
    void send_bufferedWithRoom_returnsWithoutAReceiver(ChannelKind kind) throws InterruptedException {
        assumeTrue(kind.isBuffered());
        Channel<Integer> ch = kind.create(NAME);
        for (int i = 0; i < kind.capacity(); i++) {
            ch.send(i); // would hang (and hit the class timeout) if it blocked
        }
        assertFalse(ch.trySend(-1));
        for (int i = 0; i < kind.capacity(); i++) {
            assertEquals(i, ch.tryReceive());
        }
    }

    @ForEachChannelKind
    void send_bufferFull_blocksUntilAReceiveFreesASlot(ChannelKind kind) throws InterruptedException {
        assumeTrue(kind.isBuffered());
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Void> late = Async.runBlocked(() -> ch.send("late"));
        assertEquals(fills.get(0), ch.receive());
        late.join();
        assertFalse(ch.trySend("overflow"), "the buffer holds capacity elements again");
        List<String> expected = new ArrayList<>(fills.subList(1, fills.size()));
        expected.add("late");
        assertEquals(expected, receive(ch, expected.size()));
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void trySend_bufferFull_returnsFalseAndSendsNothing(ChannelKind kind) throws InterruptedException {
        assumeTrue(kind.isBuffered());
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        assertFalse(ch.trySend("x"));
        assertEquals(fills, receive(ch, fills.size()));
        assertNull(ch.tryReceive());
        assertTrue(ch.trySend("y"), "room again once drained");
        assertEquals("y", ch.tryReceive());
    }

    @ForEachChannelKind
    void send_unbounded_neverBlocks(ChannelKind kind) throws InterruptedException {
        assumeTrue(kind.isUnbounded());
        Channel<Integer> ch = kind.create(NAME);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> ch.send(i); // would hang (and hit the class timeout) if it blocked
                case 1 -> assertTrue(ch.trySend(i));
                default -> assertTrue(ch.send(i, Duration.ZERO));
            }
        }
        for (int i = 0; i < n; i++) {
            assertEquals(i, ch.tryReceive());
        }
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void sendTimed_noRoomWithinTimeout_returnsFalseAfterAtLeastTimeoutAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        long start = System.nanoTime();
        assertFalse(ch.send("x", SHORT));
        assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "gave up before the timeout elapsed");
        assertEquals(fills, receive(ch, fills.size()));
        assertNull(ch.tryReceive());
        assertNextSendReachesNextReceiver(ch);
    }

    @ForEachChannelKind
    void sendTimed_roomBeforeTimeout_returnsTrue(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Boolean> sender = Async.startBlocked(() -> ch.send("x", LONG));
        List<String> expected = new ArrayList<>(fills);
        expected.add("x");
        assertEquals(expected, receive(ch, expected.size()));
        assertTrue(sender.join());
    }

    @ForEachChannelKind
    void sendTimed_zeroOrNegativeTimeout_sendsOnlyWithoutWaiting(ChannelKind kind) throws InterruptedException {
        for (Duration timeout : NO_WAIT) {
            Channel<String> ch = kind.create(NAME);
            if (kind.isUnbounded()) {
                assertTrue(ch.send("x", timeout), timeout.toString());
                assertEquals("x", ch.tryReceive());
                continue;
            }
            List<String> fills = fill(ch, kind);
            assertFalse(ch.send("x", timeout), timeout.toString()); // returns at once: no receiver will come
            assertEquals(fills, receive(ch, fills.size()));
            assertNull(ch.tryReceive());
            Async<String> receiver = Async.startBlocked(ch::receive);
            assertTrue(ch.send("y", timeout), "a waiting receiver takes it at once: " + timeout);
            assertEquals("y", receiver.join());
        }
    }

    @ForEachChannelKind
    void sendTimed_hugeTimeout_waitsWithoutLimit(ChannelKind kind) throws InterruptedException {
        for (Duration timeout : HUGE) {
            Channel<String> ch = kind.create(NAME);
            if (kind.isUnbounded()) {
                assertTrue(ch.send("x", timeout), timeout.toString());
                assertEquals("x", ch.tryReceive());
                continue;
            }
            List<String> fills = fill(ch, kind);
            Async<Boolean> sender = Async.startBlocked(() -> ch.send("x", timeout));
            List<String> expected = new ArrayList<>(fills);
            expected.add("x");
            assertEquals(expected, receive(ch, expected.size()), timeout.toString());
            assertTrue(sender.join(), timeout.toString());
        }
    }

    /* ---- receive ---- */

    @ForEachChannelKind
    void receive_emptyChannel_blocksUntilAnElementIsSent(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertFalse(receiver.isDone());
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @ForEachChannelKind
    void receive_elementAvailable_returnsIt(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        assertEquals("x", ch.receive());
        sender.join();
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void tryReceive_emptyChannel_returnsNull(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertNull(ch.tryReceive());
        assertNull(ch.tryReceive());
        assertNextSendReachesNextReceiver(ch);
    }

    @ForEachChannelKind
    void tryReceive_elementAvailable_returnsIt(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        assertEquals("x", ch.tryReceive());
        sender.join();
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receiveTimed_nothingWithinTimeout_returnsNullAfterAtLeastTimeoutAndLeavesNoReceiver(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        long start = System.nanoTime();
        assertNull(assertDoesNotThrowInterrupted(() -> ch.receive(SHORT)));
        assertTrue(System.nanoTime() - start >= SHORT.toNanos(), "gave up before the timeout elapsed");
        // No receiver is left behind: a rendezvous trySend finds nobody, a buffered element stays.
        assertEquals(!kind.isRendezvous(), ch.trySend("y"));
        assertEquals(kind.isRendezvous() ? null : "y", ch.tryReceive());
        assertNextSendReachesNextReceiver(ch);
    }

    @ForEachChannelKind
    void receiveTimed_elementBeforeTimeout_returnsIt(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(() -> ch.receive(LONG));
        ch.send("x");
        assertEquals("x", receiver.join());
    }

    @ForEachChannelKind
    void receiveTimed_zeroOrNegativeTimeout_receivesOnlyWithoutWaiting(ChannelKind kind) throws InterruptedException {
        for (Duration timeout : NO_WAIT) {
            Channel<String> ch = kind.create(NAME);
            assertNull(ch.receive(timeout), timeout.toString());
            Async<Void> sender = makeAvailable(ch, kind, "x");
            assertEquals("x", ch.receive(timeout), timeout.toString());
            sender.join();
            assertEquals(!kind.isRendezvous(), ch.trySend("y"), "no receiver left behind: " + timeout);
        }
    }

    @ForEachChannelKind
    void receiveTimed_hugeTimeout_waitsWithoutLimit(ChannelKind kind) throws InterruptedException {
        for (Duration timeout : HUGE) {
            Channel<String> ch = kind.create(NAME);
            Async<String> receiver = Async.startBlocked(() -> ch.receive(timeout));
            ch.send("x");
            assertEquals("x", receiver.join(), timeout.toString());
        }
    }

    @ForEachChannelKind
    void receiveOrClosed_elementAvailable_returnsReceived(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        assertEquals(new ReceiveResult.Received<>("x"), ch.receiveOrClosed());
        sender.join();
    }

    @ForEachChannelKind
    void receiveOrClosed_emptyChannel_blocksUntilAnElementIsSent(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<ReceiveResult<String>> receiver = Async.startBlocked(ch::receiveOrClosed);
        ch.send("x");
        assertEquals(new ReceiveResult.Received<>("x"), receiver.join());
    }

    /* ---- order ---- */

    @ForEachChannelKind
    void receive_oneSender_receivesInSendOrder(ChannelKind kind) throws InterruptedException {
        Channel<Integer> ch = kind.create(NAME);
        int n = 5_000;
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < n; i++) {
                ch.send(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(i, ch.receive());
        }
        producer.join();
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receive_severalSenders_eachSendersElementsInOrderExactlyOnce(ChannelKind kind) throws InterruptedException {
        Channel<long[]> ch = kind.create(NAME);
        int senders = 4;
        int perSender = 2_000;
        List<Async<Void>> producers = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            producers.add(Async.run(() -> {
                for (int i = 0; i < perSender; i++) {
                    ch.send(new long[] {sender, i});
                }
            }));
        }
        int[] next = new int[senders];
        for (int k = 0; k < senders * perSender; k++) {
            long[] e = ch.receive();
            int sender = (int) e[0];
            assertEquals(next[sender], e[1], "out of order from sender " + sender);
            next[sender]++;
        }
        producers.forEach(Async::join);
        assertNull(ch.tryReceive());
        for (int s = 0; s < senders; s++) {
            assertEquals(perSender, next[s]);
        }
    }

    @ForEachChannelKind
    void send_blockedSenders_servedFirstComeFirstServed(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        List<String> blocked = new ArrayList<>();
        List<Async<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String element = "sender-" + i;
            senders.add(Async.runBlocked(() -> ch.send(element)));
            blocked.add(element);
        }
        List<String> received = receive(ch, fills.size() + blocked.size());
        assertEquals(fills, received.subList(0, fills.size()));
        assertEquals(blocked, received.subList(fills.size(), received.size()), "the elements of the blocked senders");
        senders.forEach(Async::join);
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void send_blockedSendersAdmittedTogether_elementsKeepArrivalOrder(ChannelKind kind) throws InterruptedException {
        // Two blocked senders are let in by two receives in a row. The first runs on a virtual
        // thread that cannot get a carrier yet, the second on a platform thread that runs at once:
        // the first must still be served first.
        assumeTrue(kind.isBuffered() && kind.capacity() >= 2);
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Void> first = Async.runBlocked(() -> ch.send("first"));
        Async<Void> second = Async.runOnPlatformThread(() -> ch.send("second")).awaitBlocked();
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            assertEquals(fills.get(0), ch.tryReceive());
            assertEquals(fills.get(1), ch.tryReceive());
            // Give the second sender the chance to overtake; a channel that keeps it waiting
            // behind the first costs this bound, and one that lets it overtake fails below.
            second.awaitDone(Duration.ofSeconds(1));
        } finally {
            hold.release();
        }
        List<String> received = receive(ch, fills.size());
        assertEquals(fills.subList(2, fills.size()), received.subList(0, fills.size() - 2));
        assertEquals(List.of("first", "second"), received.subList(fills.size() - 2, fills.size()),
                "the elements of the two blocked senders");
        first.join();
        second.join();
    }

    @ForEachChannelKind
    void receive_blockedReceivers_servedFirstComeFirstServed(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<Async<String>> receivers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            receivers.add(Async.startBlocked(ch::receive));
        }
        for (int i = 0; i < 4; i++) {
            ch.send("e" + i);
        }
        for (int i = 0; i < 4; i++) {
            assertEquals("e" + i, receivers.get(i).join(), "receiver " + i);
        }
    }

    @ForEachChannelKind
    void send_timedOutSenderAmongBlocked_othersKeepTheirTurn(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Void> first = Async.runBlocked(() -> ch.send("first"));
        Async<Boolean> timedOut = Async.start(() -> ch.send("timed-out", SHORT));
        assertFalse(timedOut.join());
        Async<Void> last = Async.runBlocked(() -> ch.send("last"));
        List<String> received = receive(ch, fills.size() + 2);
        assertEquals(fills, received.subList(0, fills.size()));
        assertEquals(List.of("first", "last"), received.subList(fills.size(), received.size()));
        first.join();
        last.join();
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receive_interruptedReceiverAmongBlocked_othersKeepTheirTurn(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> first = Async.startBlocked(ch::receive);
        Async<String> interrupted = Async.startBlocked(ch::receive);
        interrupted.interrupt();
        assertInstanceOf(InterruptedException.class, interrupted.joinFailure());
        Async<String> last = Async.startBlocked(ch::receive);
        ch.send("e0");
        ch.send("e1");
        assertEquals("e0", first.join());
        assertEquals("e1", last.join());
        assertNull(ch.tryReceive());
    }

    /* ---- close ---- */

    @ForEachChannelKind
    void close_openChannel_returnsTrueOnceThenFalse(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertTrue(ch.close());
        assertFalse(ch.close());
        assertFalse(ch.close());
    }

    @ForEachChannelKind
    void isClosedForSend_openChannel_falseThenTrueAtOnceAfterClose(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertFalse(ch.isClosedForSend());
        assertFalse(ch.isClosedForReceive());
        ch.close();
        assertTrue(ch.isClosedForSend());
    }

    @ForEachChannelKind
    void close_thenSend_throwsClosedExceptionWithoutCauseNamingTheChannel(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        ch.close();
        assertEveryReceiveClosed(ch, null);
        assertEverySendClosed(ch, null);
        assertEveryReceiveClosed(ch, null);
    }

    @ForEachChannelKind
    void close_emptyChannel_isClosedForReceiveAtOnceAndEveryReceiveReportsClosed(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        ch.close();
        assertTrue(ch.isClosedForReceive());
        assertEveryReceiveClosed(ch, null);
    }

    @ForEachChannelKind
    void close_bufferedElements_stillDeliveredThenReceiversSeeClosed(ChannelKind kind) throws InterruptedException {
        assumeFalse(kind.isRendezvous());
        Channel<String> ch = kind.create(NAME);
        List<String> sent = sendUpTo(ch, kind, 4);
        assertTrue(ch.close());
        assertTrue(ch.isClosedForSend());
        List<String> received = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            assertFalse(ch.isClosedForReceive(), "not drained yet");
            received.add(switch (i % 4) {
                case 0 -> ch.receive();
                case 1 -> ch.tryReceive();
                case 2 -> ch.receive(LONG);
                default -> ((ReceiveResult.Received<String>) ch.receiveOrClosed()).element();
            });
        }
        assertEquals(sent, received);
        assertTrue(ch.isClosedForReceive());
        assertEveryReceiveClosed(ch, null);
        assertEverySendClosed(ch, null);
    }

    @ForEachChannelKind
    void close_bufferedElements_iterationDeliversThemThenEndsNormally(ChannelKind kind) {
        assumeFalse(kind.isRendezvous());
        Channel<String> ch = kind.create(NAME);
        List<String> sent = sendUpTo(ch, kind, 4);
        ch.close();
        List<String> received = new ArrayList<>();
        for (String e : ch) {
            received.add(e);
        }
        assertEquals(sent, received);
        assertTrue(ch.isClosedForReceive());
    }

    @ForEachChannelKind
    void close_bufferedElements_streamDeliversThemThenEndsNormally(ChannelKind kind) {
        assumeFalse(kind.isRendezvous());
        Channel<String> ch = kind.create(NAME);
        List<String> sent = sendUpTo(ch, kind, 4);
        ch.close();
        assertEquals(sent, ch.stream().toList());
        assertTrue(ch.isClosedForReceive());
        assertEquals(List.of(), ch.stream().toList());
    }

    @ForEachChannelKind
    void close_blockedSenders_failWithClosedExceptionAndElementsAreNotDelivered(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        List<Async<Void>> senders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String element = "blocked-" + i;
            senders.add(Async.runBlocked(() -> ch.send(element)));
        }
        Async<Boolean> timedSender = Async.startBlocked(() -> ch.send("blocked-timed", LONG));
        assertTrue(ch.close());
        for (Async<Void> sender : senders) {
            assertClosed(sender.joinFailure(), NAME, null);
        }
        assertClosed(timedSender.joinFailure(), NAME, null);
        assertTrue(ch.isClosedForSend());
        assertEquals(fills, receive(ch, fills.size()), "only the elements accepted before the close");
        assertTrue(ch.isClosedForReceive());
        assertEveryReceiveClosed(ch, null);
    }

    @ForEachChannelKind
    void close_blockedReceivers_failWithClosedExceptionAndIterationEnds(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        Async<String> timedReceiver = Async.startBlocked(() -> ch.receive(LONG));
        Async<ReceiveResult<String>> closedAware = Async.startBlocked(ch::receiveOrClosed);
        Iterator<String> iterator = ch.iterator();
        Async<Boolean> hasNext = Async.startBlocked(iterator::hasNext);
        Async<List<String>> stream = Async.startBlocked(() -> ch.stream().toList());
        assertTrue(ch.close());
        assertClosed(receiver.joinFailure(), NAME, null);
        assertClosed(timedReceiver.joinFailure(), NAME, null);
        assertEquals(new ReceiveResult.Closed<>(null), closedAware.join());
        assertFalse(hasNext.join());
        assertEquals(List.of(), stream.join());
        assertTrue(ch.isClosedForReceive());
    }

    @ForEachChannelKind
    void receiveOrClosed_closedAndDrained_keepsReturningClosedWithoutCause(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        ch.close();
        assertEquals(new ReceiveResult.Closed<>(null), ch.receiveOrClosed());
        assertEquals(new ReceiveResult.Closed<>(null), ch.receiveOrClosed());
    }

    @ForEachChannelKind
    void iterator_closedAndDrained_hasNextFalseAndNextThrowsNoSuchElement(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        ch.close();
        Iterator<String> iterator = ch.iterator();
        assertFalse(iterator.hasNext());
        assertFalse(iterator.hasNext());
        assertThrows(NoSuchElementException.class, iterator::next);
        assertThrows(NoSuchElementException.class, ch.iterator()::next);
    }

    @ForEachChannelKind
    void iterator_ended_hasNextFalseAgainWithoutWaiting_evenWhenInterrupted(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        ch.close();
        Iterator<String> iterator = ch.iterator();
        assertFalse(iterator.hasNext());

        Thread.currentThread().interrupt();
        try {
            assertFalse(iterator.hasNext(), "ended: nothing to wait for");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is left as it is");
        } finally {
            Thread.interrupted();
        }
    }

    @ForEachChannelKind
    void fail_afterClose_returnsFalseAndTheCloseStaysGraceful(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> sent = kind.isRendezvous() ? List.of() : sendUpTo(ch, kind, 2);
        assertTrue(ch.close());
        assertFalse(ch.fail(new IllegalStateException("too late")));
        assertEquals(sent, receive(ch, sent.size()), "buffered elements are still delivered");
        assertEveryReceiveClosed(ch, null);
        assertEverySendClosed(ch, null);
    }

    @ForEachChannelKind
    void close_senderAdmittedButNotYetRunning_elementDeliveredExactlyWhenSendReturns(ChannelKind kind)
            throws InterruptedException {
        // A receive frees a slot for a blocked sender, whose thread cannot run yet, and the channel
        // closes. Either the send took effect (returns, element delivered) or it did not (throws,
        // element never delivered); never one without the other.
        assumeTrue(kind.isBuffered());
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Void> sender = Async.runBlocked(() -> ch.send("admitted"));
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            assertEquals(fills.get(0), ch.tryReceive());
            assertTrue(ch.close());
        } finally {
            hold.release();
        }
        Throwable failure = sender.joinOutcome();
        List<String> expected = new ArrayList<>(fills.subList(1, fills.size()));
        if (failure == null) {
            expected.add("admitted");
        } else {
            assertClosed(failure, NAME, null);
        }
        assertEquals(expected, receive(ch, expected.size()));
        assertEveryReceiveClosed(ch, null);
    }

    @ForEachChannelKind
    void close_plainWriteBeforeClose_visibleToTheThreadThatObservesTheClosure(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> observer = Async.startBlocked(() -> {
            assertEquals(new ReceiveResult.Closed<>(null), ch.receiveOrClosed());
            return plainNote;
        });
        Async<Void> closer = Async.run(() -> {
            plainNote = "written before close";
            ch.close();
        });
        assertEquals("written before close", observer.join());
        closer.join();
    }

    /* ---- fail ---- */

    @ForEachChannelKind
    void fail_openChannel_returnsTrueOnceThenFalse(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertTrue(ch.fail(new IllegalStateException("first")));
        assertFalse(ch.fail(new IllegalStateException("second")));
        assertTrue(ch.isClosedForSend());
        assertTrue(ch.isClosedForReceive());
    }

    @ForEachChannelKind
    void fail_afterFail_keepsTheFirstCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Exception first = new IllegalStateException("first");
        ch.fail(first);
        ch.fail(new IllegalStateException("second"));
        assertEveryReceiveClosed(ch, first);
        assertEverySendClosed(ch, first);
    }

    @ForEachChannelKind
    void close_afterFail_returnsFalseAndKeepsTheCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Exception cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));
        assertFalse(ch.close());
        assertEveryReceiveClosed(ch, cause);
        assertEverySendClosed(ch, cause);
    }

    @ForEachChannelKind
    void fail_bufferedElements_discardedAndEveryOperationThrowsWithCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        if (!kind.isRendezvous()) {
            sendUpTo(ch, kind, 4);
        }
        Exception cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));
        assertTrue(ch.isClosedForSend());
        assertTrue(ch.isClosedForReceive(), "nothing will ever be received: buffered elements are discarded");
        assertEveryReceiveClosed(ch, cause);
        assertEverySendClosed(ch, cause);
    }

    /**
     * A cause whose toString() throws: every operation still throws ChannelClosedException with
     * that cause, its message naming the cause's class, since the message is made without
     * letting the cause's code throw.
     */
    @ForEachChannelKind
    void fail_causeWhoseToStringThrows_everyOperationThrowsClosedWithCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Exception cause = new UnreadableException();
        assertTrue(ch.fail(cause));
        assertEveryReceiveClosed(ch, cause);
        assertEverySendClosed(ch, cause);
        ChannelClosedException thrown = assertThrows(ChannelClosedException.class, ch::receive);
        assertEquals("channel '" + NAME + "' failed: " + UnreadableException.class.getName()
                + " (its toString() threw java.lang.IllegalStateException)", thrown.getMessage());
    }

    @ForEachChannelKind
    void fail_blockedSenders_failWithCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        fill(ch, kind);
        Async<Void> sender = Async.runBlocked(() -> ch.send("blocked"));
        Async<Boolean> timedSender = Async.startBlocked(() -> ch.send("blocked-timed", LONG));
        Exception cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));
        assertClosed(sender.joinFailure(), NAME, cause);
        assertClosed(timedSender.joinFailure(), NAME, cause);
        assertEveryReceiveClosed(ch, cause);
    }

    @ForEachChannelKind
    void fail_blockedReceivers_failWithCause(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        Async<String> timedReceiver = Async.startBlocked(() -> ch.receive(LONG));
        Async<ReceiveResult<String>> closedAware = Async.startBlocked(ch::receiveOrClosed);
        Iterator<String> iterator = ch.iterator();
        Async<Boolean> hasNext = Async.startBlocked(iterator::hasNext);
        Async<List<String>> stream = Async.startBlocked(() -> ch.stream().toList());
        Exception cause = new IllegalStateException("boom");
        assertTrue(ch.fail(cause));
        assertClosed(receiver.joinFailure(), NAME, cause);
        assertClosed(timedReceiver.joinFailure(), NAME, cause);
        assertEquals(new ReceiveResult.Closed<>(cause), closedAware.join());
        assertClosed(hasNext.joinFailure(), NAME, cause);
        assertClosed(stream.joinFailure(), NAME, cause);
    }

    @ForEachChannelKind
    void fail_iterationAndStream_throwClosedExceptionWithCause(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Iterator<String> iterator = ch.iterator();
        assertTrue(iterator.hasNext());
        assertEquals("x", iterator.next());
        sender.join();
        Exception cause = new IllegalStateException("boom");
        ch.fail(cause);
        assertClosed(assertThrows(ChannelClosedException.class, iterator::hasNext), NAME, cause);
        assertClosed(assertThrows(ChannelClosedException.class, iterator::next), NAME, cause);
        assertClosed(assertThrows(ChannelClosedException.class, () -> {
            for (String e : ch) {
                throw new AssertionError("received " + e + " from a failed channel");
            }
        }), NAME, cause);
        assertClosed(assertThrows(ChannelClosedException.class, () -> ch.stream().toList()), NAME, cause);
    }

    @ForEachChannelKind
    void receiveOrClosed_failed_keepsReturningClosedWithCause(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        if (!kind.isRendezvous()) {
            sendUpTo(ch, kind, 2);
        }
        Exception cause = new IllegalStateException("boom");
        ch.fail(cause);
        for (int i = 0; i < 2; i++) {
            ReceiveResult<String> result = ch.receiveOrClosed();
            ReceiveResult.Closed<?> closed = assertInstanceOf(ReceiveResult.Closed.class, result);
            assertSame(cause, closed.cause());
        }
    }

    @ForEachChannelKind
    void fail_plainWriteBeforeFail_visibleToTheThreadThatObservesTheFailure(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> observer = Async.startBlocked(() -> {
            assertInstanceOf(ReceiveResult.Closed.class, ch.receiveOrClosed());
            return plainNote;
        });
        Async<Void> failer = Async.run(() -> {
            plainNote = "written before fail";
            ch.fail(new IllegalStateException("boom"));
        });
        assertEquals("written before fail", observer.join());
        failer.join();
    }

    /* ---- interruption: on entry ---- */

    @ForEachChannelKind
    void send_interruptedOnEntry_throwsWithStatusClearedAndSendsNothing(ChannelKind kind) throws InterruptedException {
        assertInterruptedOnEntrySendsNothing(kind, ch -> ch.send("x"));
    }

    @ForEachChannelKind
    void sendTimed_interruptedOnEntry_throwsWithStatusClearedAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedOnEntrySendsNothing(kind, ch -> ch.send("x", LONG));
        for (Duration timeout : NO_WAIT) {
            assertInterruptedOnEntrySendsNothing(kind, ch -> ch.send("x", timeout));
        }
        for (Duration timeout : HUGE) {
            assertInterruptedOnEntrySendsNothing(kind, ch -> ch.send("x", timeout));
        }
    }

    /**
     * With a receiver waiting, so that the send could complete at once, a send by an interrupted
     * thread throws with the status cleared, and the receiver gets the next element instead.
     */
    private static void assertInterruptedOnEntrySendsNothing(ChannelKind kind, SendCall send)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        Async<Void> sender = Async.run(() -> {
            Thread.currentThread().interrupt();
            send.send(ch);
        });
        assertInstanceOf(InterruptedException.class, sender.joinFailure());
        assertFalse(sender.interruptedAtEnd(), "the interrupt status must be cleared");
        ch.send("after");
        assertEquals("after", receiver.join());
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void receive_interruptedOnEntry_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedOnEntryConsumesNothing(kind, ReceiveChannel::receive);
    }

    @ForEachChannelKind
    void receiveTimed_interruptedOnEntry_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedOnEntryConsumesNothing(kind, ch -> ch.receive(LONG));
        for (Duration timeout : NO_WAIT) {
            assertInterruptedOnEntryConsumesNothing(kind, ch -> ch.receive(timeout));
        }
        for (Duration timeout : HUGE) {
            assertInterruptedOnEntryConsumesNothing(kind, ch -> ch.receive(timeout));
        }
    }

    @ForEachChannelKind
    void receiveOrClosed_interruptedOnEntry_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedOnEntryConsumesNothing(kind, ReceiveChannel::receiveOrClosed);
    }

    /**
     * With an element available, a receive by an interrupted thread throws with the status cleared,
     * and the element is still there.
     */
    private static void assertInterruptedOnEntryConsumesNothing(ChannelKind kind, ReceiveCall receive)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Async<Object> receiver = Async.start(() -> {
            Thread.currentThread().interrupt();
            return receive.receive(ch);
        });
        assertInstanceOf(InterruptedException.class, receiver.joinFailure());
        assertFalse(receiver.interruptedAtEnd(), "the interrupt status must be cleared");
        assertEquals("x", ch.receive(), "the element must still be there");
        sender.join();
        assertNull(ch.tryReceive());
    }

    @ForEachChannelKind
    void trySend_interrupted_ignoresTheStatusAndKeepsIt(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<String> receiver = Async.startBlocked(ch::receive);
        Async<Boolean> sender = Async.start(() -> {
            Thread.currentThread().interrupt();
            return ch.trySend("x");
        });
        assertTrue(sender.join());
        assertTrue(sender.interruptedAtEnd(), "trySend must leave the interrupt status set");
        assertEquals("x", receiver.join());
    }

    @ForEachChannelKind
    void tryReceive_interrupted_ignoresTheStatusAndKeepsIt(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Async<String> receiver = Async.start(() -> {
            Thread.currentThread().interrupt();
            return ch.tryReceive();
        });
        assertEquals("x", receiver.join());
        assertTrue(receiver.interruptedAtEnd(), "tryReceive must leave the interrupt status set");
        sender.join();
    }

    /* ---- interruption: while waiting ---- */

    @ForEachChannelKind
    void send_interruptedWhileBlocked_throwsWithStatusClearedAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedWhileBlockedSendsNothing(kind, ch -> ch.send("x"));
    }

    @ForEachChannelKind
    void sendTimed_interruptedWhileBlocked_throwsWithStatusClearedAndSendsNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedWhileBlockedSendsNothing(kind, ch -> ch.send("x", LONG));
        assertInterruptedWhileBlockedSendsNothing(kind, ch -> ch.send("x", Duration.ofSeconds(Long.MAX_VALUE)));
    }

    private static void assertInterruptedWhileBlockedSendsNothing(ChannelKind kind, SendCall send)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        List<String> fills = fill(ch, kind);
        Async<Void> sender = Async.runBlocked(() -> send.send(ch));
        sender.interrupt();
        assertInstanceOf(InterruptedException.class, sender.joinFailure());
        assertFalse(sender.interruptedAtEnd(), "the interrupt status must be cleared");
        assertEquals(fills, receive(ch, fills.size()));
        assertNull(ch.tryReceive(), "the interrupted sender's element must not be in the channel");
        assertNextSendReachesNextReceiver(ch);
    }

    @ForEachChannelKind
    void receive_interruptedWhileBlocked_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedWhileBlockedConsumesNothing(kind, ReceiveChannel::receive);
    }

    @ForEachChannelKind
    void receiveTimed_interruptedWhileBlocked_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedWhileBlockedConsumesNothing(kind, ch -> ch.receive(LONG));
        assertInterruptedWhileBlockedConsumesNothing(kind, ch -> ch.receive(Duration.ofSeconds(Long.MAX_VALUE)));
    }

    @ForEachChannelKind
    void receiveOrClosed_interruptedWhileBlocked_throwsWithStatusClearedAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        assertInterruptedWhileBlockedConsumesNothing(kind, ReceiveChannel::receiveOrClosed);
    }

    /**
     * A receiver interrupted while waiting throws with the status cleared and leaves no trace: a
     * rendezvous trySend finds no receiver, and an element sent later is not swallowed.
     */
    private static void assertInterruptedWhileBlockedConsumesNothing(ChannelKind kind, ReceiveCall receive)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Object> receiver = Async.startBlocked(() -> receive.receive(ch));
        receiver.interrupt();
        assertInstanceOf(InterruptedException.class, receiver.joinFailure());
        assertFalse(receiver.interruptedAtEnd(), "the interrupt status must be cleared");
        assertEquals(!kind.isRendezvous(), ch.trySend("y"), "no receiver may be left waiting");
        assertEquals(kind.isRendezvous() ? null : "y", ch.tryReceive());
        assertNextSendReachesNextReceiver(ch);
    }

    @ForEachChannelKind
    void send_interruptedAfterItsElementWasTaken_returnsNormallyWithStatusSet(ChannelKind kind)
            throws InterruptedException {
        for (SendCall send : List.<SendCall>of(ch -> ch.send("x"), ch -> assertTrue(ch.send("x", LONG)))) {
            Channel<String> ch = kind.create(NAME);
            List<String> fills = fill(ch, kind);
            CountDownLatch interrupted = new CountDownLatch(1);
            Async<Void> sender = Async.runBlocked(() -> {
                send.send(ch);
                Async.spinUntil(interrupted);
            });
            // The receive admits the sender (rendezvous: takes its element; buffered: frees its
            // slot) before the interrupt, so the send has completed and must not report it.
            List<String> expected = new ArrayList<>(fills);
            expected.add("x");
            assertEquals(expected.get(0), ch.receive());
            sender.interrupt();
            interrupted.countDown();
            sender.join();
            assertTrue(sender.interruptedAtEnd(), "the interrupt status must still be set");
            assertEquals(expected.subList(1, expected.size()), receive(ch, expected.size() - 1));
        }
    }

    @ForEachChannelKind
    void receive_interruptedAfterAnElementWasHandedOver_returnsItWithStatusSet(ChannelKind kind)
            throws InterruptedException {
        for (ReceiveCall receive : List.<ReceiveCall>of(
                ReceiveChannel::receive, ch -> ch.receive(LONG), ReceiveChannel::receiveOrClosed)) {
            Channel<String> ch = kind.create(NAME);
            CountDownLatch interrupted = new CountDownLatch(1);
            Async<Object> receiver = Async.startBlocked(() -> {
                Object result = receive.receive(ch);
                Async.spinUntil(interrupted);
                return result;
            });
            ch.send("x"); // hands the element to the waiting receiver
            receiver.interrupt();
            interrupted.countDown();
            Object result = receiver.join();
            assertTrue("x".equals(result) || new ReceiveResult.Received<>("x").equals(result), String.valueOf(result));
            assertTrue(receiver.interruptedAtEnd(), "the interrupt status must still be set");
            assertNull(ch.tryReceive());
        }
    }

    /* ---- iteration ---- */

    @ForEachChannelKind
    void iterator_hasNext_blocksUntilAnElementArrives(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Iterator<String> iterator = ch.iterator();
        Async<Boolean> hasNext = Async.startBlocked(iterator::hasNext);
        ch.send("x");
        assertTrue(hasNext.join());
        assertEquals("x", iterator.next());
    }

    @ForEachChannelKind
    void iterator_hasNextRepeated_holdsOneElementForNext(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            ch.send("a");
            ch.send("b");
            ch.close();
        });
        Iterator<String> iterator = ch.iterator();
        assertTrue(iterator.hasNext());
        assertTrue(iterator.hasNext());
        assertEquals("a", iterator.next());
        assertEquals("b", iterator.next()); // next without hasNext receives
        assertFalse(iterator.hasNext());
        producer.join();
    }

    @ForEachChannelKind
    void iterator_abandonedAfterHasNext_dropsTheHeldElement(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            ch.send("a");
            ch.send("b");
        });
        assertTrue(ch.iterator().hasNext());
        assertEquals("b", ch.receive(), "the abandoned iterator took a");
        producer.join();
    }

    @ForEachChannelKind
    void iterator_next_waitsForTheNextElement(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Iterator<String> iterator = ch.iterator();
        Async<String> next = Async.startBlocked(iterator::next);
        ch.send("x");
        assertEquals("x", next.join());
    }

    @ForEachChannelKind
    void iterator_remove_unsupported(ChannelKind kind) throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Iterator<String> iterator = ch.iterator();
        assertEquals("x", iterator.next());
        assertThrows(UnsupportedOperationException.class, iterator::remove);
        sender.join();
    }

    @ForEachChannelKind
    void iterator_forEachLoop_receivesEverythingUntilClosed(ChannelKind kind) {
        Channel<Integer> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < 100; i++) {
                ch.send(i);
            }
            ch.close();
        });
        List<Integer> received = new ArrayList<>();
        for (int e : ch) {
            received.add(e);
        }
        assertEquals(IntStream.range(0, 100).boxed().toList(), received);
        producer.join();
    }

    @ForEachChannelKind
    void iterator_interruptedWhileBlockedInHasNext_throwsUncheckedWithStatusSetAndCanResume(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Iterator<String> iterator = ch.iterator();
        Async<Boolean> hasNext = Async.startBlocked(iterator::hasNext);
        hasNext.interrupt();
        assertUncheckedInterrupted(hasNext);
        // Nothing consumed and no receiver left behind.
        assertEquals(!kind.isRendezvous(), ch.trySend("y"));
        assertEquals(kind.isRendezvous() ? null : "y", ch.tryReceive());
        // The same iterator resumes.
        Async<String> next = Async.startBlocked(iterator::next);
        ch.send("z");
        assertEquals("z", next.join());
    }

    @ForEachChannelKind
    void iterator_interruptedWhileBlockedInNext_throwsUncheckedWithStatusSetAndCanResume(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Iterator<String> iterator = ch.iterator();
        Async<String> next = Async.startBlocked(iterator::next);
        next.interrupt();
        assertUncheckedInterrupted(next);
        assertEquals(!kind.isRendezvous(), ch.trySend("y"));
        assertEquals(kind.isRendezvous() ? null : "y", ch.tryReceive());
        Async<Boolean> hasNext = Async.startBlocked(iterator::hasNext);
        ch.send("z");
        assertTrue(hasNext.join());
        assertEquals("z", iterator.next());
    }

    @ForEachChannelKind
    void iterator_interruptedOnEntry_throwsUncheckedWithStatusSetAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        for (Function<Iterator<String>, Object> call : List.<Function<Iterator<String>, Object>>of(
                Iterator::hasNext, Iterator::next)) {
            Channel<String> ch = kind.create(NAME);
            Async<Void> sender = makeAvailable(ch, kind, "x");
            Iterator<String> iterator = ch.iterator();
            Async<Object> interrupted = Async.start(() -> {
                Thread.currentThread().interrupt();
                return call.apply(iterator);
            });
            assertUncheckedInterrupted(interrupted);
            assertEquals("x", iterator.next(), "the element must still be in the channel");
            sender.join();
        }
    }

    @ForEachChannelKind
    void iterator_interruptedWhileHoldingAnElement_returnsItAndLeavesTheStatusSet(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Iterator<String> iterator = ch.iterator();
        Async<String> holding = Async.start(() -> {
            assertTrue(iterator.hasNext()); // takes x and holds it
            Thread.currentThread().interrupt();
            assertTrue(iterator.hasNext(), "holds x: no receive, no exception");
            return iterator.next();
        });

        assertEquals("x", holding.join());
        assertTrue(holding.interruptedAtEnd(), "the interrupt status is left as it was: set");
        assertNull(ch.tryReceive(), "x was taken once");
        sender.join();
    }

    private static void assertUncheckedInterrupted(Async<?> call) {
        UncheckedInterruptedException e = assertInstanceOf(UncheckedInterruptedException.class, call.joinFailure());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(call.interruptedAtEnd(), "the interrupt status must be set again");
    }

    /* ---- stream ---- */

    @ForEachChannelKind
    void stream_closedAfterElements_endsNormallyWithAllInOrder(ChannelKind kind) {
        Channel<Integer> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < 100; i++) {
                ch.send(i);
            }
            ch.close();
        });
        assertEquals(IntStream.range(0, 100).boxed().toList(), ch.stream().toList());
        producer.join();
    }

    @ForEachChannelKind
    void stream_limit_leavesTheRestInTheChannel(ChannelKind kind) {
        Channel<Integer> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            for (int i = 1; i <= 10; i++) {
                ch.send(i);
            }
            ch.close();
        });
        assertEquals(List.of(1, 2, 3), ch.stream().limit(3).toList());
        assertEquals(List.of(4, 5), ch.stream().limit(2).toList());
        List<Integer> rest = new ArrayList<>();
        for (int e : ch) {
            rest.add(e);
        }
        assertEquals(List.of(6, 7, 8, 9, 10), rest);
        producer.join();
    }

    @ForEachChannelKind
    void stream_anyChannel_isSequentialOrderedAndNonNull(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        assertFalse(ch.stream().isParallel());
        Spliterator<String> spliterator = ch.stream().spliterator();
        assertTrue(spliterator.hasCharacteristics(Spliterator.ORDERED));
        assertTrue(spliterator.hasCharacteristics(Spliterator.NONNULL));
    }

    /**
     * The channel's own spliterator, not Iterable's default, which took a batch (1,024 elements)
     * at a split: ordered, non-null, never split, so that a parallel findAny over it takes one
     * element and leaves the rest.
     */
    @ForEachChannelKind
    void spliterator_isOrderedNonNullAndNeverSplits_soAParallelStreamOfItTakesOneAtATime(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Spliterator<String> spliterator = ch.spliterator();
        assertTrue(spliterator.hasCharacteristics(Spliterator.ORDERED));
        assertTrue(spliterator.hasCharacteristics(Spliterator.NONNULL));
        assertNull(spliterator.trySplit());
        assertEquals(Long.MAX_VALUE, spliterator.estimateSize());
        Async<Void> sender = Async.run(() -> {
            ch.send("a");
            ch.send("b");
            ch.close();
        });

        assertEquals("a", StreamSupport.stream(ch.spliterator(), true).findAny().orElseThrow());

        assertEquals("b", ch.receive(), "the parallel stream left the rest in the channel");
        sender.join();
    }

    @ForEachChannelKind
    void stream_interruptedWhileBlocked_throwsUncheckedWithStatusSetAndConsumesNothing(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        Async<Object> first = Async.startBlocked(() -> ch.stream().findFirst());
        first.interrupt();
        assertUncheckedInterrupted(first);
        assertEquals(!kind.isRendezvous(), ch.trySend("y"), "no receiver may be left waiting");
        assertEquals(kind.isRendezvous() ? null : "y", ch.tryReceive());
    }

    @ForEachChannelKind
    void stream_interruptedOnEntry_throwsUncheckedWithStatusSetAndConsumesNothing(ChannelKind kind)
            throws InterruptedException {
        Channel<String> ch = kind.create(NAME);
        Async<Void> sender = makeAvailable(ch, kind, "x");
        Async<Object> first = Async.start(() -> {
            Thread.currentThread().interrupt();
            return ch.stream().findFirst();
        });
        assertUncheckedInterrupted(first);
        assertEquals("x", ch.receive());
        sender.join();
    }

    /* ---- memory visibility ---- */

    @ForEachChannelKind
    void receive_plainWritesBeforeSend_visibleAfterReceive(ChannelKind kind) throws InterruptedException {
        int n = 20_000;
        long[] plainArray = new long[n];
        Channel<Message> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < n; i++) {
                plainArray[i] = mix(i);
                plainCounter = i;
                Message message = new Message();
                message.index = i;
                message.payload = mix(i);
                ch.send(message);
            }
        });
        for (int i = 0; i < n; i++) {
            Message message = ch.receive();
            assertEquals(i, message.index);
            assertEquals(mix(i), message.payload);
            assertEquals(mix(i), plainArray[i]);
            int counter = plainCounter;
            assertTrue(counter >= i, "saw counter " + counter + " after receiving " + i);
        }
        producer.join();
    }

    /**
     * The same for the other forms of both operations: a timed send, and a timed receive,
     * receiveOrClosed, an iterator's next and a stream's element, in turn.
     */
    @ForEachChannelKind
    void receiveForms_plainWritesBeforeATimedOrPlainSend_visibleAfterTheReceive(ChannelKind kind) throws InterruptedException {
        int n = 8_000;
        long[] plainArray = new long[n];
        Channel<Integer> ch = kind.create(NAME);
        Async<Void> producer = Async.run(() -> {
            for (int i = 0; i < n; i++) {
                plainArray[i] = mix(i);
                if (i % 2 == 0) {
                    ch.send(i);
                } else {
                    assertTrue(ch.send(i, Duration.ofDays(1)));
                }
            }
        });
        Iterator<Integer> iterator = ch.iterator();
        for (int i = 0; i < n; i++) {
            int element = switch (i % 4) {
                case 0 -> ch.receive(Duration.ofDays(1));
                case 1 -> ((ReceiveResult.Received<Integer>) ch.receiveOrClosed()).element();
                case 2 -> iterator.next();
                default -> ch.stream().findFirst().orElseThrow();
            };
            assertEquals(i, element);
            assertEquals(mix(i), plainArray[element], "element " + i + ", received by form " + i % 4);
        }
        producer.join();
    }

    /** An element whose fields are plain: only the channel orders their writes before the reads. */
    private static final class Message {
        int index;
        long payload;
    }

    /* ---- garbage ---- */

    // The heap bound for 10^6 timed-out waiters is ChannelMemoryTest's; these check reachability.

    @ForEachChannelKind
    void sendAndReceive_waitersTimedOutOrInterrupted_channelKeepsNoReferenceToTheirThreads(ChannelKind kind) {
        Channel<String> ch = kind.create(NAME);
        List<WeakReference<Thread>> threads = new ArrayList<>(leftWaiters(ch, false));
        if (!kind.isUnbounded()) {
            fill(ch, kind);
            threads.addAll(leftWaiters(ch, true));
        }
        assertCollected(threads, "threads of waiters that left");
    }

    @ForEachChannelKind
    void sendTimed_timedOutOrInterrupted_channelKeepsNoReferenceToTheElement(ChannelKind kind) {
        Channel<Object> ch = kind.create(NAME);
        assumeFalse(kind.isUnbounded(), "an unbounded channel never makes a sender wait");
        for (int i = 0; i < kind.capacity(); i++) {
            assertTrue(ch.trySend("fill-" + i));
        }
        assertCollected(abandonedElements(ch), "elements of sends that timed out or were interrupted");
    }

    @ForEachChannelKind
    void fail_bufferedElements_channelKeepsNoReferenceToThem(ChannelKind kind) {
        assumeFalse(kind.isRendezvous());
        Channel<Object> ch = kind.create(NAME);
        List<WeakReference<Object>> buffered = bufferedElements(ch, Math.min(kind.capacity(), 64));
        assertTrue(ch.fail(new IllegalStateException("boom")));
        assertCollected(buffered, "discarded elements");
    }

    @ForEachChannelKind
    void fail_senderAdmittedButNotYetRunning_channelKeepsNoReferenceToItsElement(ChannelKind kind) {
        // A receive frees a slot for a blocked sender, whose thread cannot run yet, and the channel
        // fails: the admitted element is discarded with the buffer, and let go.
        assumeTrue(kind.isBuffered());
        Channel<Object> ch = kind.create(NAME);
        for (int i = 0; i < kind.capacity(); i++) {
            assertTrue(ch.trySend("fill-" + i));
        }
        List<WeakReference<Object>> admitted = new ArrayList<>();
        Async<Void> sender = blockedSender(ch, admitted);
        Exception cause = new IllegalStateException("boom");
        Async.CarrierHold hold = Async.holdAllCarriers();
        try {
            assertEquals("fill-0", ch.tryReceive());
            assertTrue(ch.fail(cause));
        } finally {
            hold.release();
        }
        Throwable failure = sender.joinOutcome();
        if (failure != null) {
            assertClosed(failure, NAME, cause);
        }
        sender = null; // its thread's task refers to the element
        assertClosed(assertThrows(ChannelClosedException.class, ch::receive), NAME, cause);
        assertCollected(admitted, "admitted element discarded by fail");
    }

    /** Starts a sender of a new element that blocks on the full {@code ch}; adds a weak reference to the element. */
    private static Async<Void> blockedSender(Channel<Object> ch, List<WeakReference<Object>> elements) {
        Object element = new Object();
        elements.add(new WeakReference<>(element));
        return Async.runBlocked(() -> ch.send(element));
    }

    @ForEachChannelKind
    void receive_deliveredElements_channelKeepsNoReferenceToThem(ChannelKind kind) {
        Channel<Object> ch = kind.create(NAME);
        List<WeakReference<Object>> delivered = deliveredElements(ch, 64);
        assertCollected(delivered, "delivered elements");
        assertFalse(ch.isClosedForSend());
    }

    /**
     * Runs waiters on {@code ch} that leave: 16 time out (after parking) and 16 are interrupted, as
     * senders or as receivers. Only weak references to their threads survive this frame.
     */
    private static List<WeakReference<Thread>> leftWaiters(Channel<String> ch, boolean senders) {
        List<WeakReference<Thread>> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Async<Object> timedOut = senders
                    ? Async.start(() -> ch.send("x", Duration.ofMillis(1)))
                    : Async.start(() -> ch.receive(Duration.ofMillis(1)));
            assertEquals(senders ? false : null, timedOut.join());
            threads.add(new WeakReference<>(timedOut.thread()));
            Async<Object> interrupted = senders
                    ? Async.startBlocked(() -> ch.send("x", LONG))
                    : Async.startBlocked(() -> ch.receive(LONG));
            interrupted.interrupt();
            assertInstanceOf(InterruptedException.class, interrupted.joinFailure());
            threads.add(new WeakReference<>(interrupted.thread()));
        }
        return threads;
    }

    /** Sends elements that time out or are interrupted on the full {@code ch}; returns weak references to them. */
    private static List<WeakReference<Object>> abandonedElements(Channel<Object> ch) {
        List<WeakReference<Object>> elements = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Object timedOut = new Object();
            elements.add(new WeakReference<>(timedOut));
            assertFalse(assertDoesNotThrowInterrupted(() -> ch.send(timedOut, Duration.ofNanos(1))));
            Object interrupted = new Object();
            elements.add(new WeakReference<>(interrupted));
            Async<Void> sender = Async.runBlocked(() -> ch.send(interrupted));
            sender.interrupt();
            assertInstanceOf(InterruptedException.class, sender.joinFailure());
        }
        return elements;
    }

    /** Buffers {@code n} new elements in {@code ch}; returns weak references to them. */
    private static List<WeakReference<Object>> bufferedElements(Channel<Object> ch, int n) {
        List<WeakReference<Object>> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object element = new Object();
            elements.add(new WeakReference<>(element));
            assertTrue(ch.trySend(element));
        }
        return elements;
    }

    /** Passes {@code n} new elements through {@code ch}; returns weak references to them. */
    private static List<WeakReference<Object>> deliveredElements(Channel<Object> ch, int n) {
        List<WeakReference<Object>> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Object element = new Object();
            elements.add(new WeakReference<>(element));
            Async<Object> receiver = Async.startBlocked(ch::receive);
            assertDoesNotThrowInterrupted(() -> {
                ch.send(element);
                return null;
            });
            assertSame(element, receiver.join());
        }
        return elements;
    }

    /** Checks that the referents of {@code references} become unreachable, collecting until they are. */
    private static <T> void assertCollected(List<WeakReference<T>> references, String what) {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (references.stream().allMatch(reference -> reference.refersTo(null))) {
                return;
            }
        }
        long kept = references.stream().filter(reference -> !reference.refersTo(null)).count();
        throw new AssertionError(kept + " of " + references.size() + " " + what + " are still reachable");
    }

    /* ---- helpers ---- */

    @FunctionalInterface
    private interface SendCall {
        void send(Channel<String> ch) throws Exception;
    }

    @FunctionalInterface
    private interface ReceiveCall {
        Object receive(Channel<String> ch) throws Exception;
    }

    /**
     * Fills {@code ch} until a send would block: nothing for a rendezvous channel, {@code capacity}
     * elements for a buffered one. Skips the test for an unbounded channel, which is never full.
     *
     * @return the elements sent, in order
     */
    private static List<String> fill(Channel<String> ch, ChannelKind kind) {
        assumeFalse(kind.isUnbounded(), "an unbounded channel is never full");
        List<String> fills = new ArrayList<>();
        for (int i = 0; i < kind.capacity(); i++) {
            String element = "fill-" + i;
            assertTrue(ch.trySend(element), element);
            fills.add(element);
        }
        assertFalse(ch.trySend("overflow"), "the channel should be full");
        return fills;
    }

    /** Sends up to {@code max} elements without waiting (no more than the capacity); returns them. */
    private static List<String> sendUpTo(Channel<String> ch, ChannelKind kind, int max) {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < Math.min(max, kind.capacity()); i++) {
            String element = "e" + i;
            assertTrue(ch.trySend(element), element);
            sent.add(element);
        }
        return sent;
    }

    /**
     * Makes {@code element} available to the next receive of the empty channel {@code ch}: buffered
     * in it, or held by a sender blocked in a rendezvous.
     *
     * @return the sender, to be joined once the element was received
     */
    private static Async<Void> makeAvailable(Channel<String> ch, ChannelKind kind, String element) {
        Async<Void> sender = Async.run(() -> ch.send(element));
        if (kind.isRendezvous()) {
            sender.awaitBlocked();
        } else {
            sender.join();
        }
        return sender;
    }

    /** Receives {@code n} elements, waiting for each. */
    private static <E> List<E> receive(ReceiveChannel<E> ch, int n) throws InterruptedException {
        List<E> received = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            received.add(ch.receive());
        }
        return received;
    }

    /**
     * Checks that the open, empty channel {@code ch} is in a clean state: a new receiver gets the
     * next element sent, and nothing else is left over.
     */
    private static void assertNextSendReachesNextReceiver(Channel<String> ch) {
        Async<String> receiver = Async.startBlocked(ch::receive);
        assertDoesNotThrowInterrupted(() -> {
            ch.send("next");
            return null;
        });
        assertEquals("next", receiver.join());
        assertNull(ch.tryReceive());
    }

    /** Every send form throws {@link ChannelClosedException} naming the channel, with {@code cause}. */
    private static void assertEverySendClosed(Channel<String> ch, Throwable cause) {
        List<Executable> sends = new ArrayList<>(List.<Executable>of(
                () -> ch.send("late"), () -> ch.send("late", LONG), () -> ch.trySend("late")));
        for (Duration timeout : NO_WAIT) {
            sends.add(() -> ch.send("late", timeout));
        }
        for (Duration timeout : HUGE) {
            sends.add(() -> ch.send("late", timeout));
        }
        for (Executable send : sends) {
            assertClosed(assertThrows(ChannelClosedException.class, send), ch.name(), cause);
        }
        assertTrue(ch.isClosedForSend());
    }

    /**
     * Every receive form reports the channel closed: the throwing ones with
     * {@link ChannelClosedException} naming the channel, with {@code cause}; receiveOrClosed with
     * {@link ReceiveResult.Closed} of {@code cause}; iteration and streams end normally after a close
     * and throw after a fail.
     */
    private static void assertEveryReceiveClosed(Channel<String> ch, Throwable cause) {
        List<Executable> receives =
                new ArrayList<>(List.<Executable>of(ch::receive, () -> ch.receive(LONG), ch::tryReceive));
        for (Duration timeout : NO_WAIT) {
            receives.add(() -> ch.receive(timeout));
        }
        for (Duration timeout : HUGE) {
            receives.add(() -> ch.receive(timeout));
        }
        for (Executable receive : receives) {
            assertClosed(assertThrows(ChannelClosedException.class, receive), ch.name(), cause);
        }
        for (int i = 0; i < 2; i++) {
            ReceiveResult<String> result = assertDoesNotThrowInterrupted(ch::receiveOrClosed);
            ReceiveResult.Closed<?> closed = assertInstanceOf(ReceiveResult.Closed.class, result);
            assertSame(cause, closed.cause());
        }
        if (cause == null) {
            assertFalse(ch.iterator().hasNext());
            assertEquals(List.of(), ch.stream().toList());
        } else {
            assertClosed(assertThrows(ChannelClosedException.class, ch.iterator()::hasNext), ch.name(), cause);
            assertClosed(assertThrows(ChannelClosedException.class, () -> ch.stream().toList()), ch.name(), cause);
        }
        assertTrue(ch.isClosedForReceive());
    }

    /** Checks that {@code failure} is a {@link ChannelClosedException} for {@code name} with {@code cause}. */
    private static void assertClosed(Throwable failure, String name, Throwable cause) {
        ChannelClosedException e = assertInstanceOf(ChannelClosedException.class, failure);
        assertEquals(name, e.channelName());
        assertTrue(e.getMessage().contains(name), e.getMessage());
        assertSame(cause, e.getCause());
    }

    /** A call in the test thread, which is never interrupted: an interrupt there is a test bug. */
    @FunctionalInterface
    private interface InterruptibleCall<T> {
        T call() throws InterruptedException;
    }

    private static <T> T assertDoesNotThrowInterrupted(InterruptibleCall<T> call) {
        try {
            return call.call();
        } catch (InterruptedException e) {
            throw new AssertionError("the test thread was interrupted", e);
        }
    }
}
