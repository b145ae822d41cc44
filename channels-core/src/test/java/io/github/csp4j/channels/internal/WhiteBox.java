package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.Channel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/** Reaches a channel's private parts as its own operations do, for white-box tests of the cell protocol. */
final class WhiteBox {
    private WhiteBox() {}

    /** {@return the channel's ticket counters, allocated as a first operation does} */
    static Counters counters(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "counters", Counters.class);
    }

    /** {@return the senders' segment pointer, installed as a sender's first operation does} */
    static Segment sendSegment(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "sendSegment", Segment.class);
    }

    /** {@return the receivers' segment pointer, installed as a receiver's first operation does} */
    static Segment receiveSegment(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "receiveSegment", Segment.class);
    }

    /** {@return a buffered channel's PermitQueue, made with the counters as a first operation does} */
    static PermitQueue permits(CellChannel<?> cells) throws Exception {
        counters(cells);
        return (PermitQueue) field(cells, "permits");
    }

    /**
     * A plain receiver took ticket 0 of the rendezvous channel {@code ch} and waits in its cell,
     * not parked (RECEIVER), as a receive that found the cell empty: {@return its CellReceiver}
     */
    static CellReceiver receiverWaitingInCell0(Channel<String> ch) throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = receiveSegment(cells);
        if (counters(cells).takeReceiveTicket() != 0L || !segment.casState(0, null, CellState.RECEIVER)) {
            throw new IllegalStateException("the channel was used before: ticket 0 is taken");
        }
        return new CellReceiver(segment, 0);
    }

    /**
     * A plain rendezvous sender took ticket 0 of {@code ch} and waits in its cell with {@code
     * element}, not parked (SENDER): {@return its CellSender}
     */
    static CellSender senderWaitingInCell0(Channel<String> ch, String element)
            throws Exception {
        CellChannel<String> cells = (DefaultChannel<String>) ch;
        Segment segment = senderOnItsWay(cells);
        return (CellSender) arriveAtCell(cells, segment, 0, element, true);
    }

    /** {@return the channel's field {@code name} as it is now, read without allocating anything} */
    static Object field(CellChannel<?> cells, String name) throws Exception {
        Field field = CellChannel.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(cells);
    }

    /**
     * The owed sender whose {@code waiter} is registered in the PermitQueue goes on as send does
     * after its registration (CellChannel.sendOwed, without a deadline); {@return the result}
     */
    static <E> Object sendOwed(CellChannel<E> cells, E element, PermitWaiter waiter) throws Exception {
        Method sendOwed = CellChannel.class.getDeclaredMethod("sendOwed", Object.class,
                PermitWaiter.class, long.class);
        sendOwed.setAccessible(true);
        return sendOwed.invoke(cells, element, waiter, Waiter.NO_DEADLINE);
    }

    /** {@return the wait tickets a buffered channel's PermitQueue has taken: one per sender that owed} */
    static long waitTickets(CellChannel<?> cells) throws Exception {
        Field waits = PermitQueue.class.getDeclaredField("waits");
        waits.setAccessible(true);
        return (long) waits.get(permits(cells));
    }

    /**
     * The sender of ticket 0 takes its ticket and does nothing more, as one between its
     * get-and-add and its cell does; {@return the segment of cell 0}
     */
    static Segment senderOnItsWay(CellChannel<?> cells) throws Exception {
        Segment segment = receiveSegment(cells);
        if (counters(cells).takeSendTicket() != 0L) {
            throw new IllegalStateException("the channel was used before: ticket 0 is taken");
        }
        return segment;
    }

    /**
     * An owed sender of a buffered channel takes send ticket {@code ticket} (the next one, in the
     * senders' current segment) and waits in its cell with {@code element}: admitted by a release
     * ({@code granted}: its thread has not yet run to mark the cell BUFFERED) or not. Its thread
     * never runs. {@return its waiter}
     */
    static <E> PermitWaiter owedSenderInItsCell(CellChannel<E> cells, long ticket, E element, boolean granted)
            throws Exception {
        Segment segment = sendSegment(cells);
        if (counters(cells).takeSendTicket() != ticket || Segment.segmentId(ticket) != segment.id) {
            throw new IllegalStateException("send ticket " + ticket + " is not the next in the senders' segment");
        }
        PermitWaiter waiter = new PermitWaiter(true);
        if (granted && !waiter.casResult(null, Signal.GRANTED)) {
            throw new IllegalStateException("a new waiter was settled");
        }
        int cell = Segment.cellIndex(ticket);
        segment.spElement(cell, element);
        if (!segment.casState(cell, null, waiter)) {
            throw new IllegalStateException("cell of send ticket " + ticket + " is taken: " + segment.lvState(cell));
        }
        return waiter;
    }

    /**
     * The sender of {@code ticket}, which it took already, arrives at its cell ({@code mayWait}: a
     * plain rendezvous send, which waits there without a deadline unless a receiver waits there
     * already or the cell is dead; it waits even if a receiver holds the ticket), as
     * sendWithTickets does: sendToCell, then awaitReceiver if it placed itself there; {@return the
     * result}
     */
    static <E> Object sendToCell(CellChannel<E> cells, Segment segment, long ticket, E element, boolean mayWait)
            throws Exception {
        Object result = invokeSendToCell(cells, segment, ticket, element, mayWait, null);
        if (result != Signal.PLACED) {
            return result;
        }
        Method awaitReceiver = CellChannel.class.getDeclaredMethod("awaitReceiver", Segment.class,
                int.class, long.class);
        awaitReceiver.setAccessible(true);
        return awaitReceiver.invoke(cells, segment, Segment.cellIndex(ticket), Waiter.NO_DEADLINE);
    }

    /**
     * A select's send clause on a rendezvous channel, which took {@code ticket} already, arrives
     * at its cell: {@return what sendToCell returned} (SENT if a receiver holds the ticket and the
     * element is left BUFFERED for it, REGISTERED if the clause waits there)
     */
    static <E> Object sendClauseToCell(CellChannel<E> cells, Segment segment, long ticket,
            E element) throws Exception {
        SelectRound.Registration clause =
                new SelectRound.Registration(registeringRound(1), 0, true, false, cells);
        return invokeSendToCell(cells, segment, ticket, element, true, clause);
    }

    /**
     * {@return a select's round of {@code clauses} clauses, none skipped, owned by the current
     * thread and still registering}
     */
    static SelectRound registeringRound(int clauses) {
        return new SelectRound(new boolean[clauses], new SelectInstance());
    }

    /**
     * The cell step of {@link #sendToCell} alone: {@return what sendToCell returned} (with
     * {@code mayWait} and no receiver waiting in the cell, PLACED, for which this returns the
     * CellSender the calling thread, the sender, makes for its wait once its quiet spin brought
     * no answer, placed there, not waiting)
     */
    static <E> Object arriveAtCell(CellChannel<E> cells, Segment segment, long ticket, E element,
            boolean mayWait) throws Exception {
        Object result = invokeSendToCell(cells, segment, ticket, element, mayWait, null);
        return result == Signal.PLACED ? new CellSender(segment, Segment.cellIndex(ticket)) : result;
    }

    private static <E> Object invokeSendToCell(CellChannel<E> cells, Segment segment, long ticket,
            E element, boolean mayWait, SelectRound.Registration registration) throws Exception {
        Method sendToCell = CellChannel.class.getDeclaredMethod("sendToCell", Segment.class,
                int.class, long.class, Object.class, boolean.class, SelectRound.Registration.class);
        sendToCell.setAccessible(true);
        return sendToCell.invoke(cells, segment, (int) ticket, ticket, element, mayWait,
                registration);
    }

    /**
     * The receiver of {@code ticket}, which it took already, arrives at its cell through
     * receiveFromCell: as a blocking receive without a deadline ({@code mayWait}: then awaitSender
     * if it placed RECEIVER), or as one that does not wait (an empty cell is left cancelled);
     * {@return the result} A blocking receive first takes a BUFFERED cell's element itself, with
     * the takeBuffered that receiveFromCell calls for that state, so the two arrive alike.
     */
    static Object receiveFromCell(CellChannel<?> cells, Segment segment, long ticket, boolean mayWait)
            throws Exception {
        Method receiveFromCell = CellChannel.class.getDeclaredMethod("receiveFromCell", Segment.class, int.class,
                long.class, boolean.class, SelectRound.Registration.class);
        receiveFromCell.setAccessible(true);
        Object result = receiveFromCell.invoke(cells, segment, (int) ticket, ticket, mayWait, null);
        if (result != Signal.PLACED) {
            return result;
        }
        Method awaitSender = CellChannel.class.getDeclaredMethod("awaitSender", Segment.class, int.class, long.class);
        awaitSender.setAccessible(true);
        return awaitSender.invoke(cells, segment, (int) ticket, Waiter.NO_DEADLINE);
    }

    /**
     * isClosedForReceive's step at the cell of {@code ticket}, which it read as R: {@return what
     * holdsElement returned} (false for an empty cell, which it poisons)
     */
    static boolean closedForReceiveStep(Segment segment, long ticket) throws Exception {
        Method holdsElement = CellChannel.class.getDeclaredMethod("holdsElement", Segment.class, int.class);
        holdsElement.setAccessible(true);
        return (boolean) holdsElement.invoke(null, segment, (int) ticket);
    }

    /**
     * Steps (1) and (2) of a close ({@code cause} null) or a fail, as close(cause) takes them:
     * wins closeReason and sets the status bits, without walking the cells; {@return what
     * closeStatus returned, for {@link #finishClose}}
     */
    static long startClose(CellChannel<?> cells, Throwable cause) throws Exception {
        winCloseReason(cells, cause);
        return closeStatus(cells, cause != null);
    }

    /** Step (1) of a close ({@code cause} null) or a fail alone: wins closeReason. */
    static void winCloseReason(CellChannel<?> cells, Throwable cause) throws Exception {
        Field reason = CellChannel.class.getDeclaredField("closeReason");
        reason.setAccessible(true);
        // The test owns the channel's closing: a plain store stands for the cas.
        reason.set(cells, cause == null ? Signal.CLOSED : cause);
    }

    /** Step (2) alone, after {@link #winCloseReason}: {@return what closeStatus returned} */
    static long closeStatus(CellChannel<?> cells, boolean failed) throws Exception {
        Method closeStatus = CellChannel.class.getDeclaredMethod("closeStatus", boolean.class);
        closeStatus.setAccessible(true);
        return (long) closeStatus.invoke(cells, failed);
    }

    /** Step (3) of the close or fail that {@link #startClose} began: walks the cells. */
    static void finishClose(CellChannel<?> cells, long claimed, boolean failed) throws Exception {
        Method closeCells = CellChannel.class.getDeclaredMethod("closeCells", long.class, boolean.class);
        closeCells.setAccessible(true);
        closeCells.invoke(cells, claimed, failed);
    }

    /** A close's or fail's walk at one cell, as closeCells calls it (CellChannel.closeCell). */
    static void closeCell(Segment segment, int cell, boolean pastEnd, boolean failed, boolean discard)
            throws Exception {
        Method closeCell = CellChannel.class.getDeclaredMethod("closeCell", Segment.class, int.class,
                boolean.class, boolean.class, boolean.class);
        closeCell.setAccessible(true);
        closeCell.invoke(null, segment, cell, pastEnd, failed, discard);
    }

    /** Calls the channel's private no-argument accessor {@code name}, which allocates on first use. */
    private static <T> T firstUse(CellChannel<?> cells, String name, Class<T> type) throws Exception {
        Method accessor = CellChannel.class.getDeclaredMethod(name);
        accessor.setAccessible(true);
        return type.cast(accessor.invoke(cells));
    }
}
