package io.github.csp4j.channels.internal;

import static io.github.csp4j.channels.testing.Async.shown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which cell states {@link WaitingThreads} reads as a waiting thread: each state that names a
 * blocked thread, and none of the others, whatever the channel's traffic does not make happen in
 * a test that waits by thread state (a select settled but not yet cleaned out of its cells, a
 * registration its owner replaced, a sender granted its slot).
 */
@Timeout(60)
class WaitingThreadsTest {

    @Test
    void parkedPartiesInTheirCells_named() throws Exception {
        Thread receiver = named("receiver");
        Thread sender = named("sender");
        Segment segment = cells(receiver, new CellSender.ParkedSender(sender));
        assertEquals(", senders waiting [" + shown(sender) + "], receivers waiting [" + shown(receiver) + "]",
                describe(segment, 2));
    }

    @Test
    void statesWithoutAWaitingThread_nameNobody() {
        Segment segment = cells(CellState.RECEIVER, CellState.SENDER, CellState.BUFFERED, CellState.DONE,
                CellState.POISONED, CellState.RECEIVE_CANCELLED, CellState.SEND_CANCELLED, CellState.CLOSED);
        assertEquals("", describe(segment, 8));
    }

    @Test
    void cellsAtOrPastTheLastTicket_notRead() throws Exception {
        Segment segment = cells(CellState.DONE, named("late"));
        assertEquals("", describe(segment, 1));
    }

    @Test
    void owedSender_namedUntilGranted() throws Exception {
        PermitWaiter owed = madeOn("owed", () -> new PermitWaiter(true));
        Segment segment = cells(owed);
        assertEquals(", senders waiting [" + shown(owed.owner()) + "]", describe(segment, 1));

        assertTrue(owed.casResult(null, Signal.GRANTED)); // its element now counts as buffered
        assertEquals("", describe(segment, 1));
    }

    @Test
    void selectRegistration_namedWhileItsRoundIsUnsettled() throws Exception {
        SelectRound.Registration[] registrations = select(false, true);
        SelectRound.Registration receive = registrations[0];
        SelectRound.Registration send = registrations[1];
        SelectRound round = receive.round;
        Segment segment = cells(receive, send);
        String both = ", senders waiting [" + shown(round.owner()) + "], receivers waiting [" + shown(round.owner()) + "]";
        assertEquals(both, describe(segment, 2)); // still registering

        assertTrue(round.startWaiting());
        assertEquals(both, describe(segment, 2));

        assertTrue(round.tryResume(receive)); // completed; its other registration stays a while
        assertEquals("", describe(segment, 2));
    }

    /** A receive clause whose channel closed: the select waits on its other channels only. */
    @Test
    void skippedRegistration_notNamed() throws Exception {
        SelectRound.Registration[] registrations = select(false, false);
        SelectRound round = registrations[0].round;
        Segment segment = cells(registrations[0]);
        assertTrue(round.startWaiting());
        assertEquals(", receivers waiting [" + shown(round.owner()) + "]", describe(segment, 1));

        round.skip(0);
        assertEquals("", describe(segment, 1));
    }

    @Test
    void replacedRegistration_notNamed() throws Exception {
        SelectRound.Registration refused = select(false)[0];
        SelectRound round = refused.round;
        Segment segment = cells(refused);
        assertTrue(refused.refuse());
        String refusedYet = describe(segment, 1); // the refusal may still be retracted
        assertEquals(", receivers waiting [" + shown(round.owner()) + "]", refusedYet);

        assertTrue(refused.takeRefusal()); // the owner places the clause again elsewhere
        assertEquals("", describe(segment, 1));
    }

    /** Where a walk starts ("Lazy start"): head is read first, then the two pointers. */
    @Test
    void oldest_headWhileAPointerIsUnset_elseTheOlderPointer() {
        Segment first = new Segment(0, null, 2, Segment.PACKED, false);
        Segment later = Segment.find(first, 3);
        // What a late installFirst can leave in head after both pointers are set: linked to nothing.
        Segment unlinked = new Segment(0, null, 2, Segment.PACKED, false);

        assertSame(first, Segment.oldest(first, null, later)); // a pointer unset: head is the first
        assertSame(first, Segment.oldest(first, later, null));
        assertSame(first, Segment.oldest(unlinked, first, later)); // both set: head is ignored
        assertSame(first, Segment.oldest(unlinked, later, first));
        assertSame(first, Segment.oldest(null, later, first));
        assertSame(later, Segment.oldest(null, later, null)); // installed after head was read
        assertNull(Segment.oldest(null, null, null));
    }

    /**
     * {@return the registrations of a new round, one per clause ({@code true} a send clause),
     * made on a thread named "select" as SelectInstance makes them on the select's thread}
     */
    private static SelectRound.Registration[] select(boolean... sends) throws Exception {
        CellChannel<?> channel = (CellChannel<?>) Channel.<String>rendezvous();
        return madeOn("select", () -> {
            SelectRound round = WhiteBox.registeringRound(sends.length);
            SelectRound.Registration[] registrations = new SelectRound.Registration[sends.length];
            for (int clause = 0; clause < sends.length; clause++) {
                registrations[clause] = new SelectRound.Registration(round, clause, sends[clause], false, channel);
            }
            return registrations;
        });
    }

    /**
     * {@return the first segment of a list whose first cells hold {@code states}} With segments
     * of 2 cells (the build's small-segments execution) they span several segments.
     */
    private static Segment cells(Object... states) {
        Segment first = new Segment(0, null, 2, Segment.PACKED, false);
        for (int ticket = 0; ticket < states.length; ticket++) {
            Segment segment = Segment.find(first, Segment.segmentId(ticket));
            assertTrue(segment.casState(Segment.cellIndex(ticket), null, states[ticket]));
        }
        return first;
    }

    private static String describe(Segment segment, long end) {
        WaitingThreads waiting = new WaitingThreads();
        waiting.addCells(segment, end);
        return waiting.describe();
    }

    /** A thread named {@code name}, started and ended: its name and id are what is shown. */
    private static Thread named(String name) throws Exception {
        return madeOn(name, Thread::currentThread);
    }

    /** {@return what {@code make} made on a new virtual thread named {@code name}} */
    private static <T> T madeOn(String name, Callable<T> make) throws Exception {
        AtomicReference<T> made = new AtomicReference<>();
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                made.set(make.call());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        thread.start();
        thread.join();
        return made.get();
    }
}
