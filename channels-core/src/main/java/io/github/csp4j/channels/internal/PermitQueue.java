package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The buffer slots of a buffered channel: a fair, closeable semaphore of {@code capacity} permits.
 * An element holds a permit from the moment its sender is admitted until a receiver takes it.
 * Senders that find no free permit queue here in arrival order, and the release of a permit
 * admits the longest-waiting one.
 */
final class PermitQueue {
    /*
     * Implementation notes
     *
     * Overview. A counting semaphore whose waiters queue in the cells of a Segment list, as in the
     * semaphore that Koval, Alistarh and Elizarov (the authors of the channel algorithm) build the
     * same way. `permits` counts free permits minus senders owed one. A sender first decrements it
     * (acquireNow); if it was positive, the permit is its own after one get-and-add. Otherwise the
     * sender owes: it takes a wait ticket w and registers its Waiter in cell w (enqueue). A
     * release increments `permits`; if it was negative, someone is owed: the release takes a serve
     * ticket v and grants its permit to cell v, resuming the Waiter there with GRANTED, or leaving
     * a PERMIT for the sender on its way. Serve tickets follow wait tickets one to one, so owed
     * senders are admitted in arrival order.
     *
     * Why a semaphore and not the buffer-end counter of the reference algorithm: see
     * docs/adr/0002-buffer-as-permits.md. The owed sender waits with the same Waiter in its cell
     * of the channel's CellChannel, where its element already holds its place in the order of
     * elements; this queue only decides when it is admitted. Cells here are indexed by wait tickets,
     * so the list grows with waiting, never with traffic, and a capacity costs no memory however
     * large it is.
     *
     * Cell states (null is EMPTY):
     *
     *   EMPTY --owed sender registers--> Waiter --release resumes it with GRANTED--> DONE
     *   EMPTY --release first (its sender is on the way)--> PERMIT --the sender takes it--> DONE
     *   Waiter --settled otherwise (receiver took the element directly, timeout, interrupt,
     *            close, withdrawn), then retired by its owner--> RECEIVE_CANCELLED
     *
     * Invariants. permits == capacity + releases - acquires. Every decrement that found no free
     * permit takes exactly one wait ticket, so the i-th owed sender and the i-th release that found
     * a debt meet in cell i. A sender that leaves without its permit (its Waiter settled by anything
     * but GRANTED) stays counted as owed; the release that later holds its serve ticket undoes its
     * decrement (adds one more) and serves the next ticket with the same permit. A release that
     * finds its segment removed (every sender of it left) claims the serve tickets up to the next
     * live segment with one CAS and undoes them with one add. No permit is lost or duplicated.
     *
     * Blocking. Never here: the owed sender waits on its Waiter in CellChannel.
     *
     * Closing. A plain owed sender also waits in its cell of the CellChannel, where close settles
     * its Waiter (or the sender sees the close when it takes its cell ticket); a select's send
     * clause waits only here. So close() walks the registered cells and settles every Waiter with
     * CLOSED (the first of the two walks to reach a plain sender wins; the other finds it
     * settled); the owner then retires its registration. A registration placed after the walk
     * passed its cell is checked by its owner, who reads the channel's status after placing it.
     * Releases after a close are harmless.
     *
     * Memory. As in CellChannel, the cell that admits a sender (GRANTED, or a PERMIT taken) has
     * been passed by both tickets, so it drops its segment's back link (Segment.cleanPrev):
     * without that, each segment kept the one before it, and a channel whose senders often wait
     * kept every segment it ever used (ChannelMemoryTest's served-after-waiting case: about 10
     * bytes per wait).
     *
     * Memory ordering. A permit carries no data; the element travels through CellChannel. GRANTED
     * reaches the sender through the CAS on its Waiter.
     */

    /** Free permits minus senders owed one. xadd/cas; lv. */
    private volatile long permits;

    /** Wait tickets taken. xadd; lv. */
    private volatile long waits;

    /** Serve tickets taken. xadd/cas; lv. */
    private volatile long serves;

    /** The capacity, for diagnostics. */
    private final int capacity;

    /** Segment of the newest wait ticket, or older; null until first needed. cas; lv. */
    private volatile Segment waitSegment;

    /** Segment of the newest serve ticket, or older; null until first needed. cas; lv. */
    private volatile Segment serveSegment;

    /** The first segment, until both pointers hold it (Segment's "Lazy start"). cas; lv. */
    private volatile Segment head;

    PermitQueue(int capacity) {
        this.capacity = capacity;
        this.permits = capacity;
    }

    /** {@return the number of permits this queue was created with} */
    int capacity() {
        return capacity;
    }

    private Segment waitSegment() {
        Segment segment = waitSegment;
        return segment != null ? segment : Segment.installFirst(this, HEAD, WAIT_SEGMENT, SERVE_SEGMENT);
    }

    private Segment serveSegment() {
        Segment segment = serveSegment;
        return segment != null ? segment : Segment.installFirst(this, HEAD, SERVE_SEGMENT, WAIT_SEGMENT);
    }

    /**
     * Takes a free permit, or records the caller as owed one. After {@code false} the caller must
     * call {@link #enqueue} exactly once.
     *
     * @return whether a permit was free
     */
    boolean acquireNow() {
        return (long) PERMITS.getAndAdd(this, -1L) > 0; // xadd: a free permit, or a debt
    }

    /**
     * Takes a free permit if there is one; never records a debt.
     *
     * @return whether a permit was taken
     */
    boolean tryAcquire() {
        while (true) {
            long free = permits;
            if (free <= 0) {
                return false;
            }
            if (PERMITS.compareAndSet(this, free, free - 1)) { // cas: never goes into debt
                return true;
            }
        }
    }

    /**
     * Queues an owed sender, after {@link #acquireNow()} returned {@code false}.
     *
     * @return {@code true} if {@code waiter} is now registered: a release will resume it with
     *     GRANTED, and if it is settled otherwise its owner must call {@link #retire}; {@code false}
     *     if a permit was already left for it, so that nothing is registered
     */
    boolean enqueue(PermitWaiter waiter) {
        Segment segment = waitSegment();
        long ticket = (long) WAITS.getAndAdd(this, 1L); // xadd: takes wait ticket w
        // Only the owner of a cell retires it, so the segment of this ticket cannot be removed yet.
        Segment found = Segment.findAndMoveForward(WAIT_SEGMENT, this, segment, Segment.segmentId(ticket));
        int cell = Segment.cellIndex(ticket);
        waiter.permitSegment = found; // read by the owner only
        waiter.permitCell = cell;
        while (true) {
            Object state = found.lvState(cell);
            if (state == CellState.PERMIT) {
                found.soState(cell, CellState.DONE); // nobody else touches this cell again
                found.cleanPrev(); // both tickets have passed this cell
                return false;
            }
            if (found.casState(cell, null, waiter)) { // cas: against the release
                return true;
            }
        }
    }

    /** Marks the cell of a registered Waiter that was settled by anything but GRANTED as dead. */
    void retire(PermitWaiter waiter) {
        waiter.permitSegment.svState(waiter.permitCell, CellState.RECEIVE_CANCELLED);
        waiter.permitSegment.onCellCancelled();
    }

    /** Settles every registered Waiter with CLOSED; called once the channel's status is closed. */
    void close() {
        long end = waits; // lv after the channel's closed status: later registrations check it
        if (end == 0) {
            return; // nobody ever registered
        }
        for (Segment segment = serveSegment(); segment != null && segment.firstTicket() < end; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE && segment.firstTicket() + cell < end; cell++) {
                if (segment.lvState(cell) instanceof Waiter waiter) {
                    waiter.tryResume(Signal.CLOSED);
                }
            }
        }
    }

    /** Returns a permit: to the longest-waiting owed sender, or to the pool. Never blocks. */
    void release() {
        long before = (long) PERMITS.getAndAdd(this, 1L); // xadd: offers the permit
        while (before < 0) { // someone is owed a permit: serve the oldest wait ticket
            Segment segment = serveSegment();
            long ticket = (long) SERVES.getAndAdd(this, 1L); // xadd: takes serve ticket v
            long id = Segment.segmentId(ticket);
            Segment found = segment.id == id ? segment : Segment.findAndMoveForward(SERVE_SEGMENT, this, segment, id);
            long undone;
            if (found.id != id) {
                // Every sender up to the found segment left. Claim the serve tickets of their
                // cells and undo their debts together; if another release took some, undo ours.
                long end = found.firstTicket();
                undone = SERVES.compareAndSet(this, ticket + 1, end) ? end - ticket : 1;
            } else if (grant(found, Segment.cellIndex(ticket))) {
                return;
            } else {
                undone = 1; // that sender left: undo its debt, and serve the next one
            }
            // Still owed after the undo, net of our own permit?
            before = (long) PERMITS.getAndAdd(this, undone) + undone - 1; // xadd
        }
    }

    /** {@return whether the permit went to the sender of this cell} */
    private static boolean grant(Segment segment, int cell) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (segment.casState(cell, null, CellState.PERMIT)) { // cas: for the sender on its way
                    return true;
                }
                continue;
            }
            if (state instanceof Waiter waiter) {
                if (waiter.tryResume(Signal.GRANTED)) { // cas: admits the sender
                    segment.soState(cell, CellState.DONE);
                    segment.cleanPrev(); // both tickets have passed this cell
                    return true;
                }
                return false; // it was settled otherwise: it left
            }
            return false; // RECEIVE_CANCELLED: it left
        }
    }

    @Override
    public String toString() {
        return "permits[free=" + permits + ", waited=" + waits + ", served=" + serves + "]";
    }

    private static final VarHandle PERMITS;
    private static final VarHandle WAITS;
    private static final VarHandle SERVES;
    private static final VarHandle WAIT_SEGMENT;
    private static final VarHandle SERVE_SEGMENT;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PERMITS = lookup.findVarHandle(PermitQueue.class, "permits", long.class);
            WAITS = lookup.findVarHandle(PermitQueue.class, "waits", long.class);
            SERVES = lookup.findVarHandle(PermitQueue.class, "serves", long.class);
            WAIT_SEGMENT = lookup.findVarHandle(PermitQueue.class, "waitSegment", Segment.class);
            SERVE_SEGMENT = lookup.findVarHandle(PermitQueue.class, "serveSegment", Segment.class);
            HEAD = lookup.findVarHandle(PermitQueue.class, "head", Segment.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
