package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The buffer slots of a buffered channel: a fair, closeable semaphore of {@code capacity} permits.
 * An element holds a permit from the moment its sender is admitted until a receiver takes it.
 * Senders that find no free permit queue here in the order they owe one, and the release of a
 * permit admits the longest-waiting one.
 */
final class PermitQueue extends Segment.Owner {
    /*
     * Implementation notes
     *
     * Overview. A counting semaphore whose waiters queue in the cells of a Segment list, as in the
     * semaphore that Koval, Alistarh and Elizarov (the authors of the channel algorithm) build the
     * same way. The pool, `permits` (in the channel's Counters, beside S), counts free permits
     * minus senders owed one. A sender first decrements it (acquireNow); if it was positive, the
     * permit is its own after one get-and-add. Otherwise the sender owes: it takes a wait ticket w
     * and registers its Waiter in cell w (enqueue). Adding permits to the pool (collect,
     * returnUnused) serves the debts first: while the pool was negative, each permit takes a
     * serve ticket v and goes to cell v, resuming the Waiter there with GRANTED, or leaving a
     * PERMIT for the sender on its way. Serve tickets follow wait tickets one to one, so owed
     * senders are admitted in the order of their wait tickets.
     *
     * Parking. A receiver that frees a slot does not add to the pool, which is on the senders'
     * cache line: it adds one to `parkedReleases`, beside R on its own line (release(c)). The
     * senders collect the parked permits into the pool when it looks empty (takeOrOwe), once per
     * up to `capacity` elements in a stream. So neither side writes the other's line per element;
     * with the pool shared, both did, and that cost about 30 ns per element (benchmarks/RESULTS.md,
     * "Released permits parked beside R"). A parked permit must not be forgotten while a sender
     * waits: an owed sender announces itself in `permitWaiters`, also beside R, and then collects
     * (announceDebt); a receiver parks and then reads `permitWaiters`, and if any sender is
     * announced it collects at once. Both are volatile read-modify-writes followed by a volatile
     * read (a Dekker pair), so of an owed sender and a receiver parking a permit, at least one sees
     * the other: the permit reaches the pool, and the debt, before the sender can wait for it.
     * Collecting is a getAndSet to 0, so each parked permit is collected once. An announcement is
     * withdrawn (permitWaiters - 1) where the owed sender's registration ends: the PERMIT it found,
     * the GRANTED that admitted it, or its retirement. Senders that return an unused permit
     * (returnUnused) add it to the pool directly: it is their side's line.
     *
     * Yield before owing (ADR 0012). A plain send on a virtual thread that finds no permit, free or
     * parked, yields its carrier before it goes into debt (CellChannel.yieldsBeforeOwing), once per attempt to
     * owe, and then collects again; not on a closed channel, whose send fails at once. Where the
     * sender filled the buffer while its receiver was queued for a carrier (more threads than
     * carriers, or a receiver woken onto this carrier), the receiver runs during the yield and
     * parks the permits of what it takes, and the sender collects them without the debt, the
     * registration, the announcement (after which every release is handed in at once), and the
     * grant; where the yield does not help, the sender owes as before, one yield later. The owed
     * wait itself parks without a yield (CellChannel.awaitBuffer).
     * Counted: the share of sends that owed went from 5.1-5.6 % to 0.003-0.28 % on PairsBenchmark
     * and SelectBenchmark's select2Receive, which measured 16 % (10,000 pairs) and 20 % faster in
     * an A/B that swapped the order of the two configurations every other round; TransferBenchmark
     * buffered64-4P4C, where 2.4 % of sends owed and 0.47 % still do, measured alike
     * (benchmarks/RESULTS.md, "A yield before owing"). A sender is in line among the owed senders
     * only once it owes, so while it yields, another sender can pass it: one that owes meanwhile,
     * or one that arrives and takes a permit the yield let a receiver free. Blocked senders are
     * still served in the order they began to wait. No yield for a platform thread (it would give
     * up its CPU, not a carrier), for a send whose deadline is less than Waiter.PARK_MARGIN away (a
     * heuristic, as there: a yield has no bound, but a longer one rarely outlasts a timeout of
     * microseconds or more), or for a select's send clause (acquireNow), which registers in every
     * clause's channel without waiting in any. An interrupt that arrives during the yield throws
     * InterruptedException right after it (the sender holds no permit and owes none), as it would
     * in the wait; a deadline that passes during it is found by the wait, after the registration.
     *
     * Collecting. A collection (collect: a sender that finds the pool empty, an owed sender's
     * announcement, a receiver that sees an announcement, tryAcquire) takes all parked permits
     * with a getAndSet and then adds them to the pool: between the two they are in neither
     * counter. A tryAcquire that read an empty pool and nothing parked in that window would refuse
     * although the buffer had room, where a trySend racing a blocking send must not (the
     * reviewer's harness: 4 refusals in 100,000 races on buffered(16) before this counter, none
     * on the code before ADR 0011; ParkedPermitsTest). So each collection is counted in
     * `collections`, beside the pool (a collection writes the pool's line anyway; beside R, where
     * the receivers' get-and-adds are, it cost buffered 1024 1P1C 30 to 39-41 ns and buffered 64
     * 4P4C 39-40 to 63-86 ns, and beside the pool nothing beyond the spread: benchmarks/RESULTS.md,
     * "A trySend during a collection"): started ones from bit 32 up, unfinished ones below. tryAcquire
     * reads it, then the pool, then the parked count, then it again: if no collection was in
     * flight at the first read and none started before the second, the pool and the parked
     * count changed only by single atomic steps between the reads, and the buffer was full when
     * it read the pool. Otherwise it spins and reads again (COLLECTION_SPINS). A permit that
     * serves a debt whose sender has left is in the pool again only once the debt is undone
     * (servePermit), so a collection ends after it has served its debts, and a returned permit
     * (returnUnused) that meets a debt counts as a collection too; one that meets none is added
     * with a CAS from a pool at or above 0, which no debt can claim. Before, a collection ended
     * before serving, and a returned permit counted none: a tryAcquire in between refused with
     * room (found by review; ParkedPermitsTest's dead-debt cases). The CAS in place of the
     * get-and-add: three gated A/Bs of the fixes read +2 to +16 % in two and -2 to -3 % in the
     * third on TransferBenchmark's buffered workloads and SelectBenchmark's select2Receive,
     * within this machine's spread (benchmarks/RESULTS.md, "Three correctness fixes against run
     * 31's jar").
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
     * Invariants. Each of the capacity permits is in one place: free in the pool, parked, held by
     * an admitted element, or in flight (taken by a collection and not yet added to the pool, or
     * claimed by a release for a debt whose ticket it has not served yet). `permits` counts the
     * free ones minus the debts no release has claimed yet. Every decrement that found no free
     * permit takes exactly one wait ticket, so the i-th owed sender and the i-th release that
     * found a debt meet in cell i. A sender that leaves without its permit (its Waiter settled by
     * anything but GRANTED) stays counted as owed; the release that later holds its serve ticket undoes its
     * decrement (adds one more) and serves the next ticket with the same permit; a release whose
     * ticket lies in a removed segment (every sender of it left) does the same, one ticket at a
     * time. It must not undo the debts of the tickets after its own in one go: a release claims
     * a debt when its add makes the pool less negative, before it takes the serve ticket, so some
     * of those debts may be claimed already (by another release, or by the other permits of the
     * same collection), and their releases would then serve tickets nobody owes. An earlier
     * version did that, and over-admitted (ParkedPermitsTest's removed-segment case). No permit
     * is lost or duplicated.
     *
     * Blocking. Never here: the yield before owing is CellChannel's, and the owed sender waits on
     * its Waiter in CellChannel.
     *
     * Closing. A plain owed sender also waits in its cell of the CellChannel, where close settles
     * its Waiter (or the sender sees the close when it takes its cell ticket); a select's send
     * clause waits only here. So close() walks the cells from the serve pointer's segment to the
     * last wait ticket (a Waiter before them was passed by a serve ticket: granted, or treated as
     * gone) and settles every Waiter with CLOSED (the first of the two walks to reach a plain
     * sender wins; the other finds it settled); the owner then retires its registration. A registration placed after the walk
     * passed its cell is checked by its owner, who reads the channel's status after placing it.
     * A release that reaches a registered Waiter after the close set the status, and before
     * either walk did, settles it with CLOSED too, rather than GRANTED (grant): a send admitted
     * then would return normally after the close, and after another send had failed as closed,
     * which no order of the calls explains (found by Lincheck at three times its default budget
     * on buffered(1) and (2); OwedSenderAtCloseTest). A grant that read the status open is a
     * send linearized at that read, when the channel was open and the permit free. A PERMIT left
     * after the close is harmless: its sender takes its send ticket after it, and that ticket
     * carries the closed bit.
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

    /**
     * How many times a tryAcquire that finds no permit spins while a collection is in flight
     * (Collecting). Not a tuning: a collector has no point where its virtual thread could unmount
     * between taking the parked permits and serving the debts they meet, so it finishes within a
     * few cache misses (and an unpark per sender it admits) unless the OS stopped its carrier;
     * 1,024 spins (about 30 µs here, at 28 ns per Thread.onSpinWait, benchmarks/RESULTS.md "What
     * is left") only bound the wait in that case. No benchmark takes this path: it needs a trySend
     * on a full-looking channel during a collection.
     */
    static final int COLLECTION_SPINS = 1024;

    /** Wait tickets taken. xadd; lv. */
    private volatile long waits;

    /** Serve tickets taken. xadd; lv. */
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
    }

    /** Segment.Owner's number of waitSegment. */
    private static final int WAIT = 0;

    /** Segment.Owner's number of serveSegment. */
    private static final int SERVE = 1;

    @Override
    Segment pointer(int which) {
        return which == WAIT ? waitSegment : serveSegment; // lv
    }

    @Override
    boolean casPointer(int which, Segment expected, Segment to) {
        if (which == WAIT) {
            return WAIT_SEGMENT.compareAndSet(this, expected, to); // cas
        }
        return SERVE_SEGMENT.compareAndSet(this, expected, to); // cas
    }

    private Segment waitSegment() {
        Segment segment = waitSegment;
        return segment != null
                ? segment
                : Segment.installFirst(this, HEAD, WAIT_SEGMENT, SERVE_SEGMENT, false); // packed
    }

    private Segment serveSegment() {
        Segment segment = serveSegment;
        return segment != null
                ? segment
                : Segment.installFirst(this, HEAD, SERVE_SEGMENT, WAIT_SEGMENT, false); // packed
    }

    /**
     * Takes a free permit, or records the caller as owed one. After {@code false} the caller must
     * call {@link #enqueue} exactly once.
     *
     * @param c the channel's counters, where the pool is and receivers park the permits they release
     * @return whether a permit was free
     */
    boolean acquireNow(Counters c) {
        if (takeOrOwe(c)) {
            return true;
        }
        announceDebt(c);
        return false;
    }

    /**
     * {@return whether no permit is free for the caller} If the pool is empty, collects the parked
     * permits first, which serve older debts before they reach the pool. For a sender that
     * decides whether to yield before it owes (see "Yield before owing").
     */
    boolean nothingFree(Counters c) {
        if (c.permits() > 0) { // lv
            return false;
        }
        collect(c);
        return c.permits() <= 0; // lv: after the collection, or a sender's returned permit
    }

    /**
     * The first half of {@link #acquireNow}: takes a permit from the pool, after collecting the
     * parked ones if the pool looks empty. If it returns {@code false}, the caller is owed a
     * permit and must call {@link #announceDebt} next.
     */
    boolean takeOrOwe(Counters c) {
        if (c.permits() <= 0) { // lv: the pool ran out; collect what receivers parked before going into debt
            collect(c);
        }
        return c.addPermits(-1L) > 0; // xadd: a free permit, or a debt
    }

    /**
     * The second half of {@link #acquireNow}, for an owed sender: announces it, so that receivers
     * stop parking their releases, then hands in what was parked before (see Parking). It may
     * thereby leave a PERMIT for the caller's own wait ticket.
     */
    void announceDebt(Counters c) {
        c.addPermitWaiters(1L); // xadd: from now on receivers hand their releases in
        collect(c); // after the announcement: a release parked before it is collected here
    }

    /**
     * Moves the permits receivers parked into the pool, serving the oldest debts first (see
     * Collecting). Reads before it writes: usually there are none.
     *
     * @return whether there were any
     */
    private boolean collect(Counters c) {
        if (c.parkedReleases() == 0) { // lv
            return false;
        }
        c.startCollection(); // xadd: a tryAcquire that finds nothing waits for the end
        long parked = c.takeParkedReleases(); // getAndSet: each parked permit is collected once
        long before = parked == 0 ? 0 : c.addPermits(parked); // xadd: offers them
        serveDebts(c, parked, before); // before the end: an undone debt holds its permit until then
        c.endCollection(); // xadd
        return parked > 0;
    }

    /**
     * Takes a free permit if there is one, parked ones included; never records a debt. It
     * refuses only at a moment when the pool is empty, nothing is parked and no collection holds
     * permits on their way to the pool (see Collecting), unless a collection does not finish
     * within {@code COLLECTION_SPINS} spins.
     *
     * @param c the channel's counters
     * @return whether a permit was taken
     */
    boolean tryAcquire(Counters c) {
        return tryAcquire(c, COLLECTION_SPINS);
    }

    /** {@link #tryAcquire(Counters)}, waiting at most {@code spins} spins for collections in flight. */
    boolean tryAcquire(Counters c, int spins) {
        for (int spun = 0; ; ) {
            long collections = c.collections(); // lv, before the pool and the parked count
            long free = c.permits();
            if (free > 0) {
                if (c.casPermits(free, free - 1)) { // cas: never goes into debt
                    return true;
                }
                continue;
            }
            if (collect(c)) {
                continue;
            }
            if ((collections & Counters.COLLECTIONS_IN_FLIGHT) == 0 && c.collections() == collections) {
                return false; // lv: no collection ran across the two reads above: the buffer was full
            }
            if (spun++ >= spins) {
                return false; // a collector that does not finish: its carrier is not running
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Queues an owed sender, after {@link #acquireNow} returned {@code false}.
     *
     * @param c the channel's counters
     * @return {@code true} if {@code waiter} is now registered: a release will resume it with
     *     GRANTED, and if it is settled otherwise its owner must call {@link #retire}; {@code false}
     *     if a permit was already left for it, so that nothing is registered
     */
    boolean enqueue(PermitWaiter waiter, Counters c) {
        Segment segment = waitSegment();
        long ticket = (long) WAITS.getAndAdd(this, 1L); // xadd: takes wait ticket w
        // Only the owner of a cell retires it, so the segment of this ticket cannot be removed yet.
        Segment found = Segment.findAndMoveForward(this, WAIT, segment, Segment.segmentId(ticket));
        int cell = Segment.cellIndex(ticket);
        waiter.segment = found; // read by the owner only
        waiter.cell = cell;
        while (true) {
            Object state = found.lvState(cell);
            if (state == CellState.PERMIT) {
                found.soState(cell, CellState.DONE); // nobody else touches this cell again
                found.cleanPrev(); // both tickets have passed this cell
                c.addPermitWaiters(-1L); // xadd: admitted
                return false;
            }
            if (found.casState(cell, null, waiter)) { // cas: against the release
                return true;
            }
        }
    }

    /** Marks the cell of a registered Waiter that was settled by anything but GRANTED as dead. */
    void retire(PermitWaiter waiter, Counters c) {
        waiter.segment.svState(waiter.cell, CellState.RECEIVE_CANCELLED);
        waiter.segment.onCellCancelled();
        c.addPermitWaiters(-1L); // xadd: it no longer waits
    }

    /** Settles every registered Waiter with CLOSED; called once the channel's status is closed. */
    void close() {
        long end = waits; // lv after the channel's closed status: later registrations check it
        if (end == 0) {
            return; // nobody ever registered
        }
        for (Segment segment = serveSegment(); segment != null && segment.firstTicket() < end; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE && segment.firstTicket() + cell < end; cell++) {
                if (segment.lvState(cell) instanceof PublishedWaiter waiter) {
                    waiter.tryResume(Signal.CLOSED);
                }
            }
        }
    }

    /**
     * Returns the permit of an element a receiver took: parks it beside R, where the senders
     * collect it when they run out, unless a sender waits or is about to (see Parking). Never
     * blocks.
     */
    void release(Counters c) {
        c.addParkedRelease(); // xadd on the receivers' line
        if (c.permitWaiters() != 0) { // lv, same line: an owed sender may need it now
            collect(c);
        }
    }

    /**
     * Returns the permit of a sender that did not use it (its element went straight to a
     * receiver, or the channel closed): straight to the longest-waiting owed sender, or to the
     * pool, which is on the senders' side anyway. Never blocks.
     */
    void returnUnused(Counters c) {
        for (long free; (free = c.permits()) >= 0; ) { // lv
            if (c.casPermits(free, free + 1)) { // cas: nobody is owed one
                return;
            }
        }
        c.startCollection(); // xadd: it may serve a debt whose sender left (see Collecting)
        serveDebts(c, 1L, c.addPermits(1L)); // xadd: offers the permit
        c.endCollection(); // xadd
    }

    /** After {@code n} permits were added to a pool that held {@code before}: serves the debts they claimed. */
    private void serveDebts(Counters c, long n, long before) {
        for (long debts = before < 0 ? Math.min(n, -before) : 0; debts > 0; debts--) {
            servePermit(c);
        }
    }

    /** Gives one permit, added to the pool already, to the oldest debt, which exists. */
    private void servePermit(Counters c) {
        while (true) { // someone is owed a permit: serve the oldest wait ticket
            Segment segment = serveSegment();
            long ticket = (long) SERVES.getAndAdd(this, 1L); // xadd: takes serve ticket v
            long id = Segment.segmentId(ticket);
            Segment found = segment.id == id ? segment : Segment.findAndMoveForward(this, SERVE, segment, id);
            // A removed segment (found is a later one): every sender of it left, as did one whose
            // cell grant finds settled. Either way undo the debt of this ticket only, never of
            // tickets after it: their debts may be claimed already, by this release's other
            // permits or by another release that has not taken its serve ticket yet, and undoing
            // them too would hand those permits out twice (see Invariants).
            if (found.id == id && grant(found, Segment.cellIndex(ticket), c)) {
                return;
            }
            // That sender left: still owed after undoing its debt, net of our own permit?
            if (c.addPermits(1L) >= 0) { // xadd
                return;
            }
        }
    }

    /** {@return whether the permit went to the sender of this cell} */
    private static boolean grant(Segment segment, int cell, Counters c) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                if (segment.casState(cell, null, CellState.PERMIT)) { // cas: for the sender on its way
                    return true;
                }
                continue;
            }
            if (state instanceof PublishedWaiter waiter) {
                if (c.closedForSend()) { // lv S: no admission after a close (see Closing)
                    waiter.tryResume(Signal.CLOSED); // unless settled already; its owner retires it
                    return false; // it leaves without the permit
                }
                if (waiter.tryResume(Signal.GRANTED)) { // cas: admits the sender
                    segment.soState(cell, CellState.DONE);
                    segment.cleanPrev(); // both tickets have passed this cell
                    c.addPermitWaiters(-1L); // xadd: admitted
                    return true;
                }
                return false; // it was settled otherwise: it left
            }
            return false; // RECEIVE_CANCELLED: it left
        }
    }

    /** Adds the senders waiting here for a permit to {@code waiting}; see WaitingThreads. */
    void addWaiting(WaitingThreads waiting) {
        long end = waits; // lv: every wait ticket taken
        Segment first = head; // lv, before the pointers (Segment.oldest)
        Segment waited = waitSegment; // lv
        Segment served = serveSegment; // lv
        waiting.addCells(Segment.oldest(first, waited, served), end);
    }

    /** {@return a diagnostic description, with the counters of the channel, which made this queue} */
    String describe(Counters c) {
        return "permits[free=" + c.permits() + ", parked=" + c.parkedReleases() + ", announced="
                + c.permitWaiters() + ", waited=" + waits + ", served=" + serves + "]";
    }

    @Override
    public String toString() {
        return "permits[capacity=" + capacity + ", waited=" + waits + ", served=" + serves + "]";
    }

    private static final VarHandle WAITS;
    private static final VarHandle SERVES;
    private static final VarHandle WAIT_SEGMENT;
    private static final VarHandle SERVE_SEGMENT;
    private static final VarHandle HEAD;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
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
