package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.ChannelClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The cells through which a channel's elements pass: a lock-free queue of elements and of the
 * threads waiting for them, in one of two modes. In rendezvous mode a sender waits until a
 * receiver takes its element; in the other mode a sender never waits (the unbounded channel, and
 * the elements of a buffered channel, whose senders first take a permit from a
 * {@link PermitQueue}).
 *
 * @param <E> the element type
 */
final class CellChannel<E> {
    /*
     * Implementation notes
     *
     * Overview. The algorithm of Koval, Alistarh and Elizarov, "Fast and Scalable Channels in
     * Kotlin Coroutines" (PPoPP 2023), as in Kotlin's BufferedChannel and in jox. Every send takes
     * a ticket s from the senders counter S and every receive a ticket r from the receivers counter
     * R, each with one get-and-add. Tickets index an infinite array of cells (a Segment list); the
     * send and the receive holding the same ticket meet in that cell. Whoever arrives first either
     * leaves the element (BUFFERED) or waits there (a Waiter); the second completes the exchange
     * with one CAS on the cell. Blocked parties are therefore served in ticket order: FIFO.
     *
     * Differences from the reference algorithm.
     *  - No buffer-end counter and no expandBuffer: a buffered channel is this class in
     *    never-waiting mode plus a PermitQueue holding its capacity (see that class and
     *    docs/adr/0002-buffer-as-permits.md). The cell protocol then has no third party racing
     *    for a waiting sender, so there is no RESUMING state, and segment removal needs no
     *    "processed by expandBuffer" counter.
     *  - close() fails the senders blocked at that moment (as Go's close does) instead of letting
     *    them complete, and the receivers' end is decided by the ticket: a receiver with
     *    r >= closedAt, the value of S when the channel closed, will never meet a sender.
     *  - Elements live in their own slot beside the state, so a user's element can never be
     *    mistaken for a cell state; all states are CellState constants or Waiters.
     *  - Blocking methods check the interrupt status on entry, as BlockingQueue's do.
     *
     * Cell states (null is EMPTY; s and r are the cell's send and receive tickets):
     *
     *   EMPTY --sender, unbounded mode or a receiver has the ticket (s < R)--> BUFFERED
     *   EMPTY --sender, rendezvous mode, no receiver yet--> Waiter(sender)
     *   EMPTY --receiver, no sender yet (r >= S)--> Waiter(receiver)
     *   EMPTY --receiver, the sender has the ticket but has not arrived (r < S)--> POISONED
     *   EMPTY --close(), cell at or past closedAt--> CLOSED
     *   BUFFERED --receiver--> DONE                  BUFFERED --fail()--> DISCARDED
     *   Waiter(receiver) --sender resumes it with the element--> DONE
     *   Waiter(sender) --receiver resumes it with TAKEN--> DONE
     *   Waiter(x) --its own timeout or interrupt, or close()--> x_CANCELLED (written by the owner)
     *   POISONED, DONE, *_CANCELLED, CLOSED, DISCARDED are final.
     *
     * Who moves each edge: the edges out of EMPTY are CASes by the party holding the ticket (or by
     * close); a Waiter is settled by one CAS on Waiter.result, by a peer or by close (tryResume) or
     * by its owner (tryCancel), and the winner then writes the final cell state. A party that loses
     * a race for a cell (POISONED, a cancelled waiter) takes a new ticket.
     *
     * Invariants. Each ticket is used by at most one sender and one receiver. A cell holds a
     * non-null element slot only while its state is BUFFERED or a sender's Waiter. An element
     * reaches at most one receiver: the CAS BUFFERED->DONE, or the CAS on the sender's Waiter,
     * hands it over exactly once. Non-invariants: S - R is not the number of elements (tickets of
     * dead cells count), and a receiver may see S > r while its sender has not arrived yet.
     *
     * Blocking. Only in Waiter.await: a bounded spin, then LockSupport.park. The party that
     * settles a Waiter unparks its owner.
     *
     * Interrupts and timeouts. Checked on entry by the caller. While waiting, Waiter.await's CAS
     * decides the race with a peer: if the waiter cancelled itself first, its cell becomes
     * *_CANCELLED and the peer takes a new ticket, so the operation had no effect; if the peer
     * won, the operation completed and returns with the interrupt status set. Zero timeouts use
     * the try methods, which take a ticket only when the other side holds one already, so they
     * never leave a cancelled cell behind.
     *
     * Closing, in order: (1) CAS closeReason (arbitrates close against fail); (2) publish closedAt =
     * S, then set the status bits in sendersAndStatus by CAS, so every later ticket sees them; (3)
     * walk the cells from the older segment pointer up to max(closedAt, R): resume every waiting
     * sender, and every waiting receiver that no sender will reach (r >= closedAt, or any after
     * fail), with CLOSED; mark empty cells at or past closedAt CLOSED for receivers still on their
     * way; after fail, discard buffered elements. A sender that starts waiting after the walk
     * passed its cell sees the status bits right after publishing its Waiter and cancels itself;
     * a receiver that finds a waiting sender after close fails it rather than take its element.
     *
     * Memory ordering.
     *  - send -> receive: the sender's plain store of the element is followed by the CAS that
     *    publishes BUFFERED or its Waiter (or it passes the element in the receiver's
     *    Waiter.result by CAS); the receiver reads it after the volatile load or CAS that observed
     *    that publication. Actions before send(e) therefore happen-before actions after the
     *    receive() that returns e.
     *  - close -> observers: closeReason and closedAt are written before the CAS that sets the
     *    status bits, and every operation reads the status before it acts on closure.
     *  - Tickets: the get-and-add on S or R is volatile; an operation reads the other counter after
     *    taking its ticket, which orders the two sides (if the receiver saw r >= S, the sender
     *    that later takes ticket r reads R > r and hands over instead of waiting).
     */

    private static final long CLOSED_BIT = 1L << 62;
    private static final long FAILED_BIT = 1L << 61;
    private static final long COUNT_MASK = (1L << 60) - 1;

    private final String name;
    private final boolean rendezvous;

    /** S (tickets taken by senders) in the low bits, and the CLOSED and FAILED bits. xadd/cas; lv. */
    private volatile long sendersAndStatus;

    /** R: tickets taken by receivers. xadd/cas; lv. */
    private volatile long receivers;

    /** S when the channel closed; meaningful once the CLOSED bit is seen. sv before that bit; lv. */
    private volatile long closedAt;

    /** null while open, then Signal.CLOSED or the failure cause. cas once; lv. */
    private volatile Object closeReason;

    /** Segment of the newest send ticket, or older. Moved forward by senders with cas; lv. */
    private volatile Segment sendSegment;

    /** Segment of the newest receive ticket, or older. Moved forward by receivers with cas; lv. */
    private volatile Segment receiveSegment;

    CellChannel(String name, boolean rendezvous) {
        this.name = name;
        this.rendezvous = rendezvous;
        Segment first = new Segment(0, null, 2);
        this.sendSegment = first;
        this.receiveSegment = first;
    }

    /* ---- send ---- */

    /**
     * Sends {@code element}, waiting in rendezvous mode until {@code deadline} for a receiver.
     *
     * @return {@link Signal#SENT} or {@link Signal#TIMED_OUT}
     * @throws ChannelClosedException if the channel is closed, or closes while this call waits
     * @throws InterruptedException if interrupted while waiting; nothing was sent
     */
    Signal send(E element, long deadline) throws InterruptedException {
        while (true) {
            Segment segment = sendSegment;
            long ticket = (long) SENDERS_AND_STATUS.getAndAdd(this, 1L); // xadd: takes ticket s
            if ((ticket & CLOSED_BIT) != 0) {
                throw closedException();
            }
            Segment found = locate(SEND_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                SENDERS_AND_STATUS.compareAndSet(this, ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            Signal result = sendToCell(found, Segment.cellIndex(ticket), ticket, element, true, deadline);
            if (result != Signal.RETRY) {
                return result;
            }
        }
    }

    /**
     * Sends {@code element} in never-waiting mode, where a send always completes at once.
     *
     * @throws ChannelClosedException if the channel is closed
     */
    void put(E element) {
        assert !rendezvous;
        while (true) {
            Segment segment = sendSegment;
            long ticket = (long) SENDERS_AND_STATUS.getAndAdd(this, 1L); // xadd: takes ticket s
            if ((ticket & CLOSED_BIT) != 0) {
                throw closedException();
            }
            Segment found = locate(SEND_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                SENDERS_AND_STATUS.compareAndSet(this, ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            if (sendNow(found, Segment.cellIndex(ticket), ticket, element) == Signal.SENT) {
                return;
            }
        }
    }

    /**
     * Sends {@code element} if that needs no waiting: always in never-waiting mode, and in
     * rendezvous mode when a receiver holds a ticket that no sender has.
     *
     * @return whether the element was sent
     * @throws ChannelClosedException if the channel is closed
     */
    boolean trySend(E element) {
        while (true) {
            Segment segment = sendSegment;
            long status = sendersAndStatus;
            if ((status & CLOSED_BIT) != 0) {
                throw closedException();
            }
            long ticket = status & COUNT_MASK;
            if (rendezvous && ticket >= receivers) {
                return false; // no receiver is waiting or on its way
            }
            if (!SENDERS_AND_STATUS.compareAndSet(this, status, status + 1)) { // cas: takes ticket s
                continue;
            }
            Segment found = locate(SEND_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                SENDERS_AND_STATUS.compareAndSet(this, ticket + 1, found.firstTicket());
                continue;
            }
            if (sendNow(found, Segment.cellIndex(ticket), ticket, element) == Signal.SENT) {
                return true;
            }
        }
    }

    /** {@link #sendToCell} for a ticket that will not wait: its receiver holds the ticket, or the mode never waits. */
    private Signal sendNow(Segment segment, int cell, long ticket, E element) {
        try {
            return sendToCell(segment, cell, ticket, element, false, 0L);
        } catch (InterruptedException e) {
            throw new AssertionError("a send that does not wait was interrupted", e);
        }
    }

    private Signal sendToCell(Segment segment, int cell, long ticket, E element, boolean mayWait, long deadline)
            throws InterruptedException {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (!rendezvous || ticket < receivers) { // lv R: the receiver of this ticket exists
                    segment.spElement(cell, element); // published by the cas below
                    if (segment.casState(cell, null, CellState.BUFFERED)) {
                        if (rendezvous) {
                            segment.cleanPrev(); // both counters have passed this cell
                        }
                        return Signal.SENT;
                    }
                    segment.spElement(cell, null);
                    continue;
                }
                if (!mayWait) {
                    if (segment.casState(cell, null, CellState.SEND_CANCELLED)) {
                        segment.onCellCancelled();
                        return Signal.TIMED_OUT;
                    }
                    continue;
                }
                Waiter waiter = new Waiter(true);
                segment.spElement(cell, element); // published by the cas below
                if (!segment.casState(cell, null, waiter)) {
                    segment.spElement(cell, null);
                    continue;
                }
                return awaitReceiver(segment, cell, waiter, deadline);
            }
            if (state instanceof Waiter receiver) {
                if (receiver.tryResume(element)) { // cas: hands the element over
                    segment.svState(cell, CellState.DONE);
                    segment.cleanPrev();
                    return Signal.SENT;
                }
                return Signal.RETRY; // the receiver left or was closed
            }
            if (state == CellState.POISONED || state == CellState.RECEIVE_CANCELLED) {
                return Signal.RETRY;
            }
            throw new IllegalStateException("unexpected state " + state + " for send ticket " + ticket + " in " + this);
        }
    }

    private Signal awaitReceiver(Segment segment, int cell, Waiter waiter, long deadline) throws InterruptedException {
        // close() may have walked past this cell before the Waiter was published: check again.
        Object result = isClosedForSend() && waiter.tryCancel(Signal.CLOSED)
                ? Signal.CLOSED
                : waiter.await(deadline);
        if (result == Signal.TAKEN) {
            return Signal.SENT; // the receiver cleared the element and finished the cell
        }
        segment.spElement(cell, null);
        segment.svState(cell, CellState.SEND_CANCELLED);
        segment.onCellCancelled();
        if (result == Signal.TIMED_OUT) {
            return Signal.TIMED_OUT;
        }
        if (result == Signal.INTERRUPTED) {
            throw new InterruptedException();
        }
        throw closedException();
    }

    /* ---- receive ---- */

    /**
     * Receives an element, waiting until {@code deadline} for one.
     *
     * @return the element, {@link Signal#TIMED_OUT}, or {@link Signal#CLOSED} if the channel is
     *     closed and drained, or failed
     * @throws InterruptedException if interrupted while waiting; nothing was received
     */
    Object receive(long deadline) throws InterruptedException {
        while (true) {
            long status = sendersAndStatus;
            if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || receivers >= closedAt)) {
                return Signal.CLOSED; // without taking a ticket, so a drained channel stays cheap
            }
            Segment segment = receiveSegment;
            long ticket = (long) RECEIVERS.getAndAdd(this, 1L); // xadd: takes ticket r
            status = sendersAndStatus;
            if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || ticket >= closedAt)) {
                return Signal.CLOSED; // no sender will come to this cell
            }
            Segment found = locate(RECEIVE_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                RECEIVERS.compareAndSet(this, ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            Object result = receiveFromCell(found, Segment.cellIndex(ticket), ticket, true, deadline);
            if (result != Signal.RETRY) {
                return result;
            }
        }
    }

    /**
     * Receives an element if one is there: takes a ticket only when a sender holds it already.
     *
     * @return the element, {@link Signal#WOULD_BLOCK}, or {@link Signal#CLOSED}
     */
    Object tryReceive() {
        while (true) {
            Segment segment = receiveSegment;
            long ticket = receivers;
            long status = sendersAndStatus; // read after R: S <= r now means nothing to take now
            if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || ticket >= closedAt)) {
                return Signal.CLOSED;
            }
            if (ticket >= (status & COUNT_MASK)) {
                return Signal.WOULD_BLOCK;
            }
            if (!RECEIVERS.compareAndSet(this, ticket, ticket + 1)) { // cas: takes ticket r
                continue;
            }
            Segment found = locate(RECEIVE_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                RECEIVERS.compareAndSet(this, ticket + 1, found.firstTicket());
                continue;
            }
            Object result;
            try {
                result = receiveFromCell(found, Segment.cellIndex(ticket), ticket, false, 0L);
            } catch (InterruptedException e) {
                throw new AssertionError("a receive that does not wait was interrupted", e);
            }
            if (result != Signal.RETRY) {
                return result == Signal.TIMED_OUT ? Signal.WOULD_BLOCK : result;
            }
        }
    }

    private Object receiveFromCell(Segment segment, int cell, long ticket, boolean mayWait, long deadline)
            throws InterruptedException {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                long status = sendersAndStatus;
                if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || ticket >= closedAt)) {
                    return Signal.CLOSED;
                }
                if (ticket < (status & COUNT_MASK)) {
                    // The sender with this ticket is on its way: break the cell rather than wait
                    // for it, so that this receiver can take an element that is already there.
                    if (segment.casState(cell, null, CellState.POISONED)) {
                        return Signal.RETRY;
                    }
                    continue;
                }
                if (!mayWait) {
                    if (segment.casState(cell, null, CellState.RECEIVE_CANCELLED)) {
                        segment.onCellCancelled();
                        return Signal.TIMED_OUT;
                    }
                    continue;
                }
                Waiter waiter = new Waiter(false);
                if (!segment.casState(cell, null, waiter)) {
                    continue;
                }
                return awaitSender(segment, cell, waiter, deadline);
            }
            if (state == CellState.BUFFERED) {
                if (!segment.casState(cell, CellState.BUFFERED, CellState.DONE)) { // cas: against fail()
                    continue;
                }
                Object element = segment.lpElement(cell); // ordered by the cas above
                segment.spElement(cell, null);
                segment.cleanPrev(); // both counters have passed this cell
                return element;
            }
            if (state instanceof Waiter sender) {
                if (isClosedForSend()) {
                    sender.tryResume(Signal.CLOSED); // a sender blocked at close fails
                    return Signal.RETRY;
                }
                if (sender.tryResume(Signal.TAKEN)) { // cas: the element is ours
                    Object element = segment.lpElement(cell); // ordered by the lv that saw the Waiter
                    segment.spElement(cell, null);
                    segment.svState(cell, CellState.DONE);
                    segment.cleanPrev();
                    return element;
                }
                return Signal.RETRY; // the sender left
            }
            if (state == CellState.SEND_CANCELLED) {
                return Signal.RETRY;
            }
            if (state == CellState.CLOSED || state == CellState.DISCARDED) {
                return Signal.CLOSED;
            }
            throw new IllegalStateException("unexpected state " + state + " for receive ticket " + ticket + " in " + this);
        }
    }

    private Object awaitSender(Segment segment, int cell, Waiter waiter, long deadline) throws InterruptedException {
        Object result = waiter.await(deadline);
        if (!(result instanceof Signal)) {
            return result; // the element; the sender finished the cell
        }
        segment.svState(cell, CellState.RECEIVE_CANCELLED);
        segment.onCellCancelled();
        if (result == Signal.INTERRUPTED) {
            throw new InterruptedException();
        }
        return result; // TIMED_OUT or CLOSED
    }

    /* ---- segments ---- */

    /**
     * {@return the segment holding {@code ticket}, or the first live one after it if it was
     * removed} A removed segment's cells were all cancelled, so every ticket up to the returned
     * segment's first is dead.
     */
    private Segment locate(VarHandle pointer, Segment start, long ticket) {
        long id = Segment.segmentId(ticket);
        return start.id == id ? start : Segment.findAndMoveForward(pointer, this, start, id);
    }

    /* ---- close ---- */

    /**
     * Closes the channel: gracefully if {@code cause} is {@code null}, else abortively.
     *
     * @return whether this call closed it
     */
    boolean close(Throwable cause) {
        Object reason = cause == null ? Signal.CLOSED : cause;
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) { // cas: one close or fail wins
            return false;
        }
        boolean failed = cause != null;
        long bits = failed ? CLOSED_BIT | FAILED_BIT : CLOSED_BIT;
        long end;
        while (true) {
            long status = sendersAndStatus;
            end = status & COUNT_MASK;
            closedAt = end; // sv: published by the cas below
            if (SENDERS_AND_STATUS.compareAndSet(this, status, status | bits)) { // cas: later tickets see it
                break;
            }
        }
        long limit = Math.max(end, receivers); // lv R after the cas: covers every receiver that saw "open"
        Segment sends = sendSegment;
        Segment receives = receiveSegment;
        Segment segment = sends.id <= receives.id ? sends : receives;
        for (; segment != null && segment.firstTicket() < limit; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE; cell++) {
                long ticket = segment.firstTicket() + cell;
                if (ticket >= limit) {
                    break;
                }
                closeCell(segment, cell, ticket >= end, failed);
            }
        }
        return true;
    }

    private static void closeCell(Segment segment, int cell, boolean pastEnd, boolean failed) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (!pastEnd || segment.casState(cell, null, CellState.CLOSED)) {
                    return; // below the end a sender holds the ticket and sees the close itself
                }
                continue;
            }
            if (state instanceof Waiter waiter) {
                if (waiter.sender || pastEnd || failed) {
                    waiter.tryResume(Signal.CLOSED);
                }
                return;
            }
            if (state == CellState.BUFFERED && failed) {
                if (segment.casState(cell, CellState.BUFFERED, CellState.DISCARDED)) { // cas: against the receiver
                    segment.spElement(cell, null);
                    return;
                }
                continue;
            }
            return;
        }
    }

    boolean isClosedForSend() {
        return (sendersAndStatus & CLOSED_BIT) != 0;
    }

    /**
     * {@return whether no element will ever be received} Steps the receivers' counter over dead
     * cells; a sender still on its way to a cell below the end is stopped there (its send fails,
     * as it may, since it overlaps the close).
     */
    boolean isClosedForReceive() {
        long status = sendersAndStatus;
        if ((status & CLOSED_BIT) == 0) {
            return false;
        }
        if ((status & FAILED_BIT) != 0) {
            return true;
        }
        long end = closedAt;
        while (true) {
            Segment segment = receiveSegment;
            long ticket = receivers;
            if (ticket >= end) {
                return true;
            }
            Segment found = locate(RECEIVE_SEGMENT, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                RECEIVERS.compareAndSet(this, ticket, found.firstTicket());
                continue;
            }
            if (holdsElement(found, Segment.cellIndex(ticket))) {
                return false;
            }
            RECEIVERS.compareAndSet(this, ticket, ticket + 1); // cas: step over the dead cell
        }
    }

    /** For a cell below closedAt that no receiver has reached: will it deliver an element? */
    private static boolean holdsElement(Segment segment, int cell) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (segment.casState(cell, null, CellState.POISONED)) {
                    return false; // its sender, still on the way, will find the channel closed
                }
                continue;
            }
            if (state == CellState.BUFFERED) {
                return true;
            }
            if (state instanceof Waiter waiter && waiter.sender) {
                waiter.tryResume(Signal.CLOSED); // a sender blocked at close fails
            }
            return false; // dead, or a receiver took the ticket meanwhile; the caller re-reads R
        }
    }

    /** {@return the cause given to fail(cause), or {@code null}} */
    Throwable failureCause() {
        return closeReason instanceof Throwable cause ? cause : null;
    }

    /** {@return the exception for an operation that found the channel closed} */
    ChannelClosedException closedException() {
        Throwable cause = failureCause();
        return cause == null ? new ChannelClosedException(name) : new ChannelClosedException(name, cause);
    }

    @Override
    public String toString() {
        long status = sendersAndStatus;
        String state = (status & FAILED_BIT) != 0 ? "failed" : (status & CLOSED_BIT) != 0 ? "closed" : "open";
        return "cells[" + state + ", senders=" + (status & COUNT_MASK) + ", receivers=" + receivers + "]";
    }

    private static final VarHandle SENDERS_AND_STATUS;
    private static final VarHandle RECEIVERS;
    private static final VarHandle CLOSE_REASON;
    private static final VarHandle SEND_SEGMENT;
    private static final VarHandle RECEIVE_SEGMENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENDERS_AND_STATUS = lookup.findVarHandle(CellChannel.class, "sendersAndStatus", long.class);
            RECEIVERS = lookup.findVarHandle(CellChannel.class, "receivers", long.class);
            CLOSE_REASON = lookup.findVarHandle(CellChannel.class, "closeReason", Object.class);
            SEND_SEGMENT = lookup.findVarHandle(CellChannel.class, "sendSegment", Segment.class);
            RECEIVE_SEGMENT = lookup.findVarHandle(CellChannel.class, "receiveSegment", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
