package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.ChannelClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The cells through which a channel's elements pass: a lock-free queue of elements and of the
 * threads waiting for them. Rendezvous: a sender waits until a receiver takes its element.
 * Unbounded: a sender never waits. Buffered: a sender waits only while it has no permit from the
 * channel's {@link PermitQueue}. {@link DefaultChannel}, its only subclass, adds the API on top
 * in the same object: an empty channel is one object of 56 bytes (Footprint in benchmarks).
 *
 * @param <E> the element type
 */
abstract sealed class CellChannel<E> extends Segment.Owner permits DefaultChannel {
    /*
     * Implementation notes
     *
     * Overview. The algorithm of Koval, Alistarh and Elizarov, "Fast and Scalable Channels in
     * Kotlin Coroutines" (PPoPP 2023), as in Kotlin's BufferedChannel and in jox. Every send takes
     * a ticket s from the senders counter S and every receive a ticket r from the receivers counter
     * R, each with one get-and-add. Tickets index an infinite array of cells (a Segment list); the
     * send and the receive holding the same ticket meet in that cell. Whoever arrives first either
     * leaves the element (BUFFERED) or waits there; the second completes the exchange
     * with one CAS. Elements are therefore received in ticket order, and blocked parties are served
     * in ticket order: FIFO.
     *
     * Differences from the reference algorithm.
     *  - Buffer slots are permits of a PermitQueue instead of a buffer-end counter moved by
     *    expandBuffer (docs/adr/0002-buffer-as-permits.md). A buffered sender with a permit
     *    ("admitted") leaves its element BUFFERED; one without ("owed") waits in its cell with a
     *    Waiter that is also registered in the PermitQueue. A release there resumes it with
     *    GRANTED: from then on its element counts as buffered, and the sender returns. A receiver
     *    that reaches the cell first takes the element directly (TAKEN), which needs no permit.
     *    The element keeps the place its ticket gave it either way.
     *  - close() fails the senders blocked at that moment (as Go's close does), and a receiver's
     *    end is decided by its ticket: one with r >= closedAt (S when the channel closed) will
     *    never meet a sender (docs/adr/0003-close-and-fail.md).
     *  - The counters S and R live in a Counters object, on different cache lines, allocated
     *    on the first operation (counters(), ADR 0009); an empty channel has none.
     *  - Elements live in their own slot beside the state, so a user's element can never be
     *    mistaken for a cell state; all states are CellState constants, Waiters, the Thread
     *    of a parked plain receiver, or the ParkedSender of a parked plain rendezvous sender.
     *  - A plain receiver (not a select's) waits in its cell itself, not in a Waiter that the
     *    cell points to: the cell holds RECEIVER, then the receiver's Thread once it may park, and
     *    the sender's one CAS to DONE both delivers the element (left in the cell's slot) and
     *    settles the wait (CellReceiver, ADR 0010). A handoff thus moves the cell's line and no
     *    waiter object's. A plain rendezvous sender waits in its cell the same way, with its
     *    element in the slot: SENDER, then a ParkedSender once it may park; the receiver's one CAS
     *    to DONE takes the element and settles the wait (CellSender, ADR 0014: PingPongBenchmark in
     *    the slow state, benchmarks/RESULTS.md, "Who waits in the slow state").
     *  - On a rendezvous channel, a plain party that waits in the cell three quarters through its
     *    segment first appends the segment after it, if nobody has and it would be spread
     *    ("Appending ahead" in Segment). In the reference algorithm the party that first needs a
     *    segment appends it, and a sender and a receiver in step, reaching a segment's end
     *    together, each allocate one for the same place.
     *  - Blocking methods check the interrupt status on entry, as BlockingQueue's do.
     *  - A select waits in cells like a blocked party, through a SelectRound.Registration (a Waiter
     *    whose tryResume settles the select's round); a send clause on a buffered channel waits
     *    in the PermitQueue instead (docs/adr/0006-select-registers-in-the-channels.md). Code here
     *    treats a registration that refuses a resume like a waiter that left.
     *
     * Cell states (null is EMPTY; s and r are the cell's send and receive tickets):
     *
     *   EMPTY --sender: unbounded, admitted, a rendezvous trySend, or a select's send clause on
     *        a rendezvous channel with s < R--> BUFFERED
     *   EMPTY --plain sender, rendezvous (whether or not a receiver holds the ticket)--> SENDER
     *        --its owner, before it parks--> ParkedSender(owner)
     *   EMPTY --owed sender, or a select's send clause on a rendezvous channel with no receiver
     *        yet--> Waiter(sender)
     *   EMPTY --plain receiver, no sender yet (r >= S), or on a rendezvous channel before
     *        close began, whether or not its sender holds the ticket--> RECEIVER --its owner,
     *        before it parks--> Thread(owner)
     *   EMPTY --a select's receive clause, no sender yet--> Waiter(receiver), a Registration
     *   EMPTY --receiver (not a plain one on an open rendezvous channel), the sender has the
     *        ticket but has not arrived (r < S) within IN_FLIGHT_SPINS spins, or (r < closedAt)
     *        after a fail--> POISONED
     *   EMPTY --isClosedForReceive after a close, r < closedAt and r at R as it read it (the
     *        sender on its way; a receiver may have taken r since)--> POISONED
     *   EMPTY --close(), cell at or past closedAt--> CLOSED
     *   EMPTY --a fail() that discards (not rendezvous), no receiver holds the ticket (s at or
     *        past R as fail() read it), the sender on its way--> CLOSED
     *   BUFFERED --receiver--> DONE                 BUFFERED --fail(), or a receiver with r at or
     *        past the fail's read of R (discardedUnder)--> DISCARDED
     *   RECEIVER or Thread --sender, its element left in the slot--> DONE (the receiver clears
     *        the slot); --close, r >= closedAt or fail--> CLOSED; --its owner's timeout or
     *        interrupt--> RECEIVE_CANCELLED
     *   SENDER or ParkedSender --receiver--> DONE (the receiver takes the element and clears the
     *        slot); --close, or a receiver or holdsElement that finds the channel closed-->
     *        SEND_CANCELLED (the closer clears the slot: the sender fails as if it had left, and
     *        its receiver takes a new ticket); --its owner's timeout or interrupt-->
     *        SEND_CANCELLED
     *   Waiter(receiver) --sender resumes it with the element--> DONE (written by the sender)
     *   Waiter(sender) --receiver resumes it with TAKEN--> DONE
     *   Waiter(sender) --PermitQueue resumes it with GRANTED--> (still the Waiter, now a buffered
     *        element) --its owner--> BUFFERED, or --a receiver--> DONE, or --fail() (or a receiver,
     *        as from BUFFERED)--> DISCARDED
     *   Waiter(x) --settled by its timeout, interrupt or close (or, an owed sender, by a release
     *        after the close set the status: PermitQueue, "Closing")--> x_CANCELLED (by the owner)
     *   POISONED, DONE, *_CANCELLED, CLOSED, DISCARDED are final.
     *
     * Who moves each edge: edges out of EMPTY are CASes by the party holding the ticket (or by
     * close, or by isClosedForReceive's probe); a Waiter in a cell (a PublishedWaiter) is settled
     * by one CAS on its result (a select's registration: on its round's), by a peer (tryResume) or
     * by its owner (tryCancel), and the winner then writes the next cell state; a plain receiver's
     * wait is settled by one CAS on the cell itself, by its sender, by close or by its owner, and
     * whoever settles it from a Thread unparks that thread; a plain rendezvous sender's likewise,
     * by its receiver, by close or by its owner, unparking a ParkedSender's thread. A party that
     * loses a cell (POISONED, a cancelled waiter, CLOSED under a receiver that fail() woke or under
     * a sender on its way after a fail that discards) takes a new ticket.
     *
     * Permits (buffered). A permit is held by each element that is BUFFERED, or in a Waiter
     * settled with GRANTED, and by each admitted sender until it has placed its element. The
     * receiver that takes such an element releases the permit; an element handed straight to a
     * waiting receiver never holds one, so an admitted sender that does that releases its own.
     *
     * Invariants. Each ticket is used by at most one sender and one receiver. A cell's element slot
     * is non-null only while its state is BUFFERED, a sender's Waiter, SENDER or a ParkedSender, or
     * DONE after a handoff from or to a plain waiting party until the receiver takes it; and in the
     * moment between a sender's store of its element and the CAS that places it, whatever the state
     * (the sender clears the slot if that CAS fails; nobody else reads the slot then), and in the
     * moment after a plain rendezvous sender's cell goes to SEND_CANCELLED, until whoever settled
     * it clears the slot (close, or the sender itself in leaveCell). An element reaches at most one
     * receiver: the CAS BUFFERED->DONE, the CAS on the sender's Waiter, the receiver's CAS
     * SENDER/ParkedSender->DONE, or the sender's CAS RECEIVER/Thread->DONE hands it over once.
     * Non-invariants: S - R is not the number of elements (tickets of dead cells count), and a
     * receiver may see S > r while that sender has not arrived.
     *
     * Blocking. Only in Waiter.await (and the yield before owing, below, and a plain rendezvous
     * party's quiet or busy spin in CellWaiter, made before its waiter exists), per
     * Waiter.WaitPolicy: on a virtual thread, for a rendezvous handoff a bounded spin while no
     * virtual thread waits for a carrier (Carriers), or else a shorter busy spin on a channel where
     * such spins keep bringing the answer (awaitHandoff; after a run of them one wait goes without,
     * for the queued threads); then one yield of the carrier (the peer it just woke is queued
     * there), left out on a channel where yields keep missing (awaitHandoff); for a select's wait
     * on buffers the yield only, and for a plain wait on a buffer nothing (awaitBuffer). On a
     * platform thread a bounded spin for a rendezvous handoff and none for a wait on a buffer. Then
     * LockSupport.park. Before that wait, a plain buffered sender on a virtual thread that finds no
     * permit yields its carrier before it owes one (PermitQueue, "Yield before owing"). The party
     * that settles a Waiter unparks its owner (a plain receiver's: the party whose CAS took its
     * Thread out of the cell; a plain rendezvous sender's, its ParkedSender). The close loser's
     * short wait is in awaitClosedStatus; a receiver's bounded spin for a sender on its way to the
     * receiver's cell, in awaitArrival (a plain receiver on an open rendezvous channel waits for
     * such a sender in its cell instead, as for any other).
     * A blocked send or receive waits from its ticket loop (sendWithTickets, receive), not from the
     * cell step that placed it (sendToCell and receiveFromCell return PLACED): a virtual thread's
     * frames are copied out when it parks and back when it resumes, after the first frames one
     * runtime call per frame it returns through, so every frame on a waiting stack costs each wait.
     * RingBenchmark, 1,000 threads on one carrier, 100 invocations: 3.20 thaws per hop before, 2.26
     * after, SynchronousQueue 2.35 (a uprobe on the JDK's Continuation::prepare_thaw); the time per
     * trip moved within its spread except in two A/Bs (benchmarks/RESULTS.md, "The frames a waiting
     * thread keeps").
     *
     * First CAS. A sender that never waits in its cell (unbounded, admitted by a permit, or a
     * rendezvous trySend) writes its element and CASes the cell from empty to BUFFERED without
     * reading it first, and reads the cell only if that CAS fails (a receiver waits there, or the
     * cell is dead). Read first, the cell's line may come to the sender shared from the receiver
     * that last wrote it, and the CAS must then take it over: two transfers where one CAS makes one
     * (not confirmed: this VM has no hardware counters). In the slow state, 2 rounds:
     * TransferBenchmark buffered 16 1P1C 0.84, buffered 1024 1P1C 0.82 and buffered 64 4P4C 0.90 of
     * the time before, PairsBenchmark 100 pairs alike (0.98); with the same path, earlier variants
     * were faster in 20 of 21 more slow rounds of these three, and alike in the fast state
     * (buffered 16 1P1C; benchmarks/RESULTS.md, "A first CAS without a read"). A rendezvous send
     * that also guessed a waiting receiver (RECEIVER to DONE) was tried: ping-pong moved within its
     * spread and rendezvous 1P1C read 1.01 to 1.12 in 7 of 8 slow rounds (so did a variant that
     * only wrote its element before the read), so a rendezvous send that may wait reads the cell
     * first as before. After ADR 0014, a plain rendezvous sender that CASes its empty cell to
     * SENDER first (its CAS fails where a receiver waits in the cell, as one did for about half of
     * rendezvous 1P1C's elements in the fast state's path counts before ADR 0014) read rendezvous
     * 1P1C 1.13 in three gated fast-state rounds (1.08 to 1.25) and 0.97 in an ungated one,
     * ping-pong 1.01 (benchmarks/RESULTS.md, "Where rendezvous 1P1C's time goes in the fast
     * state"): it keeps the read too. On an Intel guest the first guess above (RECEIVER to DONE)
     * read only ties in 6 rounds: rendezvous 1P1C 0.94 and ping-pong 0.98 of the time by the slow
     * state's rounds (4 rounds before them read ping-pong 0.88 on 2 slow rounds, not repeated;
     * benchmarks/RESULTS.md, "Four handoff probes, and profiles without the frame pointer").
     *
     * Interrupts and timeouts. Checked on entry by DefaultChannel. While waiting, the waiter's CAS
     * (a PublishedWaiter's on its result; a plain receiver's or plain rendezvous sender's on its
     * cell) decides the race with a peer: if the owner settled it first, its cell becomes
     * *_CANCELLED and peers take new tickets, so the operation had no effect; if a peer won, the
     * operation completed and returns with the interrupt status set. A buffered sender's yield
     * before owing checks the interrupt status after it: it holds nothing then, and throws. Zero
     * timeouts use the try methods, which take a ticket only when the other side holds one already,
     * and leave no cancelled cell behind (a tryReceive whose sender has not arrived after its spin
     * leaves the cell POISONED).
     *
     * An Error in a wait. A wait that throws (an Error of the JVM's: an OutOfMemoryError in the
     * allocation of its waiter, WaitOutOfMemoryTest; a StackOverflowError anywhere in it) ends as
     * an interrupted one does: the owner settles its own cell (settledDespite, ErrorInWaitTest),
     * PermitWaiter or select round first, leaves as a timeout leaves (with a PermitWaiter retired,
     * its debt for a permit given up; a round's registrations removed) and rethrows the Error. If a
     * peer or a close settled it first, that outcome stands and the Error is dropped: the element
     * was received, or taken from the sender, as after an interrupt that came too late, and to
     * rethrow would lose it or report a send that happened as failed. If the owner's own timeout or
     * interrupt settled it first (the Error in Waiter.await's yield after its tryCancel, or in
     * awaitHandoff's bookkeeping), it has left, and the Error is rethrown (a plain party; an
     * interrupt status cleared by then is lost) or the timeout or interrupt reported (an owed
     * sender, a select): no effect either way (a sender whose own timeout came first and then a
     * close reports the close). An Error in the outsiders' turn after a completed operation is
     * dropped (afterOutsidersTurn), and so is one in a select's bookkeeping after a clause won,
     * which sits inside its try. Between a ticket and its cell, a segment that cannot be allocated
     * is waited for (Segment.findAndMoveForward, "Out of memory"). Not covered: an Error in this
     * cleanup itself (an overflow that reaches it too), any other between a ticket and its wait (a
     * stack overflow in locate, in the steps that place the party or in the call into the wait) or
     * during a select's registrations (docs/RELIABILITY.md, "An Error thrown inside a channel
     * operation"). After a receive has its element, DefaultChannel's receiveOrClosed waits for
     * memory for the object that carries it, as a segment is waited for.
     *
     * Closing, in order: (1) CAS closeReason (arbitrates close against fail); (2) publish closedAt
     * = S, then set the status bits in S (Counters) by CAS, so every later ticket sees them; (3)
     * walk the cells from the older segment pointer up to max(closedAt, R): resume every blocked
     * sender, and every waiting receiver that no sender will reach (r >= closedAt, or any after
     * fail), with CLOSED (a plain rendezvous sender's cell goes to SEND_CANCELLED: CellSender);
     * mark empty cells at or past closedAt CLOSED for receivers on their way; after fail, discard
     * the buffered elements that no receiver holds a ticket for (cells at or past R as read after
     * the status CAS; a receiver with a smaller ticket is on its way and takes its element, whose
     * send may have returned already: MixedSoakTest and Lincheck found that loss; a rendezvous
     * channel discards none, see closeCells), and mark the empty ones among them CLOSED, so that a
     * sender on its way there takes a new ticket and throws rather than buffer an element nobody
     * takes or discards (FailInFlightSenderTest); a receiver that took its ticket at or past that
     * read of R, having passed receive's open check before the fail began, discards an element
     * it finds there as the walk would, and reports the failure (discardedUnder). A close or
     * fail that lost the CAS in (1) returns only after the winner's (2).
     * A sender that starts waiting after the walk passed its cell sees the status bits right after
     * placing itself and leaves; a receiver that finds a blocked sender after close fails
     * it rather than take its element. The PermitQueue's plain owed senders wait in these cells
     * too; a select's send clause waits only in the PermitQueue, so closeCells also closes it.
     *
     * Memory ordering.
     *  - send -> receive: the sender's plain store of the element precedes the CAS that publishes
     *    BUFFERED, SENDER, its Waiter, or DONE under a plain receiver (or the element travels in a
     *    select registration, settled by CAS); the receiver reads it after the volatile load or
     *    CAS that observed the publication. Actions before send(e) therefore happen-before actions
     *    after the receive() returning e.
     *  - close -> observers: closeReason and closedAt are written before the CAS that sets the
     *    status bits, and every operation reads the status before it acts on closure (a receive
     *    reads closeReason first, and the status only once close has begun or its cell is empty;
     *    a plain receive on a rendezvous channel that finds its cell empty reads closeReason again
     *    instead, after its ticket: a close whose CAS on closeReason it does not see reads R after
     *    that ticket and walks its cell).
     *  - Tickets: the get-and-add on S or R is volatile; each side reads the other counter after
     *    taking its ticket (if a receiver saw r >= S, the sender that later takes ticket r reads
     *    R > r and hands over instead of waiting), except a plain receiver on an open rendezvous
     *    channel and a plain rendezvous sender, which read no counter but S's status bits (the
     *    sender after placing itself, for a close that walked past its cell): the CAS on the cell
     *    orders each with its peer (a sender that finds its cell empty waits there); and a
     *    tryReceive that finds a sender's element in the cell of r = R with no close begun, which
     *    reads no S: that sender took ticket r, so S > r, and the CAS on R from r takes the cell.
     */

    /** S's bit that a close or fail sets (Counters.closedForSend reads it too). */
    static final long CLOSED_BIT = 1L << 62;
    private static final long FAILED_BIT = 1L << 61;
    private static final long COUNT_MASK = (1L << 60) - 1;

    /** The deadline argument of calls that never wait. */
    private static final long NO_WAIT = 0L;

    /** Numbers the generated names of unnamed channels. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * Handoff waits in a row whose yield did not bring the answer, after which yields are left
     * out and only retried; {@code io.github.csp4j.yieldMissLimit}, from 1 to 100. 2: 1 and 4
     * measured alike on PingPongBenchmark and TransferBenchmark (benchmarks/RESULTS.md, "After run
     * 6: machine state, the three unswept constants, fewer cache-line transfers").
     */
    static final int YIELD_MISS_LIMIT = Tuning.intInRange("io.github.csp4j.yieldMissLimit", 2, 1, 100);

    /**
     * The first retry period of left-out yields: one wait in this many retries the yield, picked
     * by its ticket (retryDue); {@code io.github.csp4j.yieldRetryPeriod}, a power of two from 1
     * to 64. 8: 4 and 16 measured alike in the same sweep as YIELD_MISS_LIMIT; in RingBenchmark,
     * where every retry misses, see "The ring against `SynchronousQueue`, and the yield retry
     * period" (benchmarks/RESULTS.md).
     */
    static final int YIELD_RETRY_PERIOD = Tuning.powerOfTwo("io.github.csp4j.yieldRetryPeriod", 8, 64);

    /**
     * The longest retry period of left-out yields: every retry that misses doubles the period up
     * to this; {@code io.github.csp4j.yieldRetryMax}, a power of two from YIELD_RETRY_PERIOD to
     * 4096. 256: in a ring, where every retry misses, that is one extra trip through the
     * scheduler per 256 waits instead of per 8 (RingBenchmark; benchmarks/RESULTS.md, "A yield
     * level retried by the ticket").
     */
    static final int YIELD_RETRY_MAX =
            Tuning.powerOfTwo("io.github.csp4j.yieldRetryMax", 256, YIELD_RETRY_PERIOD, 4096);

    /** The highest yield level (see yieldLevel): retries with the period YIELD_RETRY_MAX. */
    static final int YIELD_LEVEL_MAX = YIELD_MISS_LIMIT
            + Integer.numberOfTrailingZeros(YIELD_RETRY_MAX) - Integer.numberOfTrailingZeros(YIELD_RETRY_PERIOD);

    /**
     * Fibonacci hashing's multiplier, 2^64 divided by the golden ratio: spreads tickets for
     * retryDue, so that a retry is picked without a countdown written on every wait
     * (benchmarks/RESULTS.md, "A yield level retried by the ticket", "Busy-spin retries picked by
     * the ticket").
     */
    private static final long TICKET_MIX = 0x9E3779B97F4A7C15L;

    /**
     * onSpinWait iterations a receiver waits for a sender that holds its cell's ticket but has not
     * reached the cell, before it poisons the cell (awaitArrival); {@code io.github.csp4j.inFlightSpins}.
     * Without the spin 27% of rendezvous 1P1C's elements cost both parties a poisoned cell and a
     * second ticket; with it, 0.05%. TransferBenchmark rendezvous-1P1C 126 to 109 ns (medians),
     * PingPongBenchmark 181 to 168 ns; 16, 64 and 256 spins measured alike, and 64 (about 1.8 us
     * here) also covers the sender's window in the machine's slow state (benchmarks/RESULTS.md,
     * "Where rendezvous 1P1C's elements go"). Since then a plain receiver on an open rendezvous
     * channel waits in its cell for such a sender instead (receiveFromCell), so the spin serves
     * buffered receivers, select receive clauses and tryReceive; the buffered workloads measured
     * alike with 0 and 64 spins.
     */
    static final int IN_FLIGHT_SPINS = Tuning.count("io.github.csp4j.inFlightSpins", 64);

    /**
     * Busy spins in a row that did not bring the answer, after which a channel's handoff waits
     * leave them out (and retry them with a growing period: nextBusySpinState); from 1 to 100,
     * {@code io.github.csp4j.busyMissLimit}. 2, as YIELD_MISS_LIMIT; this, BUSY_RETRY_FIRST and
     * BUSY_RETRY_MAX are sized, not swept (benchmarks/RESULTS.md, "Busy spins for rendezvous
     * waits"); BUSY_HIT_LIMIT was swept later.
     */
    static final int BUSY_MISS_LIMIT = Tuning.intInRange("io.github.csp4j.busyMissLimit", 2, 1, 100);

    /**
     * Busy spins in a row that brought the answer, after which one wait on the channel does not
     * busy-spin, so that the virtual threads queued for its carrier run; from 1 to 255,
     * {@code io.github.csp4j.busyHitLimit}. 64: that wait's yield costs each handoff about 5 ns.
     * Swept at 16, 64 and 255 (TransferBenchmark, PingPongBenchmark; benchmarks/RESULTS.md, "How
     * often the queued threads' turn comes"): 16 cost rendezvous 4P4C 17 %, 255 gained it 4 to 5 %
     * and cost rendezvous 1P1C 1 to 16 %.
     */
    static final int BUSY_HIT_LIMIT = Tuning.intInRange("io.github.csp4j.busyHitLimit", 64, 1, 255);

    /**
     * The first period, in waits, of busy spins left out: about one wait in a period retries them
     * (retryDue). 8, as YIELD_RETRY_PERIOD; sized, not swept.
     */
    static final int BUSY_RETRY_FIRST = 8;

    /**
     * The longest period of busy spins left out, a power of two from 8 to 4096: every retry that
     * misses doubles the period up to this; {@code io.github.csp4j.busyRetryMax}. 256: in a ring,
     * where every retry misses, that is one 0.9 us spin per 256 waits, about 3.5 ns each; sized,
     * not swept.
     */
    static final int BUSY_RETRY_MAX = Tuning.powerOfTwo("io.github.csp4j.busyRetryMax", 256, BUSY_RETRY_FIRST, 4096);

    /** busySpinState's high bits: the retry period while busy spins are left out, else 0. */
    private static final int BUSY_PERIOD_SHIFT = 16;

    /**
     * Whether handoff waits leave their yield out where it keeps missing; {@code
     * io.github.csp4j.adaptiveYield}. RingBenchmark, where every yield misses
     * (benchmarks/RESULTS.md, "Adaptive yield (what changed before run 6)").
     */
    private static final boolean ADAPTIVE_YIELD = Tuning.flag("io.github.csp4j.adaptiveYield", true);

    /**
     * The policy of a plain wait on a buffer (awaitBuffer): QUEUE without its yield, or with it if
     * {@code io.github.csp4j.bufferWaitYield} is true. Without: TransferBenchmark buffered64-4P4C
     * and PairsBenchmark at 10,000 pairs (benchmarks/RESULTS.md, "A buffer wait without its yield").
     */
    private static final Waiter.WaitPolicy BUFFER_WAIT = Tuning.flag("io.github.csp4j.bufferWaitYield", false)
            ? Waiter.WaitPolicy.QUEUE
            : Waiter.WaitPolicy.QUEUE_NO_YIELD;

    /**
     * Whether a plain buffered send on a virtual thread yields before it goes into debt
     * (yieldsBeforeOwing); {@code io.github.csp4j.yieldBeforeOwing}, true or false. True:
     * PairsBenchmark at 10,000 pairs and SelectBenchmark's select2Receive (benchmarks/RESULTS.md,
     * "A yield before owing").
     */
    private static final boolean YIELD_BEFORE_OWING = Tuning.flag("io.github.csp4j.yieldBeforeOwing", true);

    /**
     * One plain blocking send or receive in this many per channel and direction (a power of two,
     * from 2 to 2^30; the operations whose ticket is one less than a multiple of it) ends, on a
     * virtual thread, with Carriers.outsidersTurn(), unless it timed out; unbounded sends never
     * wait and take no turn. {@code io.github.csp4j.outsidersTurnPeriod}; 0 turns it off. The
     * turn parks at most once per 20 ms in the JVM (Carriers.OUTSIDERS_TURN_GAP_NANOS), so the
     * period sets how soon a stream notices outside threads, not what the parks cost. 16,384:
     * StarvationProbe's started thread ran after 4 to 12 ms with 4,096, 6 to 17 with 16,384 and
     * 11 to 41 with 65,536 before that bound (one pair on one carrier, rendezvous and
     * buffered(16), and two pairs on two carriers; without the turn it had not run after 5 s),
     * 8 ms with it (benchmarks/RESULTS.md, "Threads from outside the scheduler").
     */
    static final int OUTSIDERS_TURN_PERIOD = Tuning.powerOfTwoOrZero("io.github.csp4j.outsidersTurnPeriod", 16384, 2, 1 << 30);

    /** The ticket bits that pick the operations of OUTSIDERS_TURN_PERIOD; all bits (none picked) if it is 0. */
    private static final long OUTSIDERS_TURN_MASK = OUTSIDERS_TURN_PERIOD == 0 ? -1L : OUTSIDERS_TURN_PERIOD - 1;

    /**
     * The name given at creation, or, for an unnamed channel, null until name() first generates
     * one (so that an unnamed channel costs no string until it is shown). cas once; lv.
     */
    private volatile String name;

    private final boolean rendezvous;

    /**
     * Whether this channel's handoff waits yield (see awaitHandoff): below YIELD_MISS_LIMIT, the
     * yields in a row that missed, and every wait yields; from there on each level doubles the
     * period of the retries, up to YIELD_LEVEL_MAX. A hint: plain, racy; written only after a
     * wait whose policy had the yield (a timed wait near its deadline skips it and counts as a
     * miss), and only if it changes; it fills the padding after {@code rendezvous}, so the
     * channel stays small (56 bytes).
     */
    private byte yieldLevel;

    /**
     * Whether this channel's handoff waits busy-spin (see nextBusySpinState): the retry period
     * while busy spins are left out, above BUSY_PERIOD_SHIFT; while they are not, the counts of
     * hits and misses in a row below it. A hint:
     * plain, racy, each value written whole; it fills padding, so the channel stays 56 bytes.
     */
    private int busySpinState;

    /** A buffered channel's capacity, else 0. */
    private final int capacity;

    /**
     * The buffer slots of a buffered channel, null until its counters are allocated (see
     * counters()), and always null for a rendezvous or unbounded channel. Set by cas once, before
     * the cas that publishes the counters, and read plain only by a thread that has read the
     * counters non-null (this write happens-before that read), so an empty buffered channel is
     * one object of 56 bytes, as a rendezvous one is.
     */
    private PermitQueue permits;

    /**
     * S (with the status bits) and R, on different cache lines; null until the first operation
     * or close needs them (see counters()). cas once; lv.
     */
    private volatile Counters counters;

    /** null while open, then Signal.CLOSED or the failure cause. cas once; lv. */
    private volatile Object closeReason;

    /**
     * Segment of the newest send ticket, or older; null until the first operation needs it
     * (Segment's "Lazy start"). Moved forward by senders with cas; lv.
     */
    private volatile Segment sendSegment;

    /** Segment of the newest receive ticket, or older; null until first needed. cas; lv. */
    private volatile Segment receiveSegment;

    /** The first segment, until both pointers hold it (Segment's "Lazy start"). cas; lv. */
    private volatile Segment head;

    /**
     * @param name the channel's name, or null to generate one when first asked
     * @param rendezvous whether a sender waits for its receiver
     * @param capacity a buffered channel's capacity (at least 1), else 0
     */
    CellChannel(String name, boolean rendezvous, int capacity) {
        this.name = name;
        this.rendezvous = rendezvous;
        this.capacity = capacity;
    }

    /**
     * {@return the counters, allocated on first use so that an empty channel stays small} A
     * buffered channel's PermitQueue is allocated with them, and set before them.
     */
    private Counters counters() {
        Counters c = counters;
        return c != null ? c : firstCounters();
    }

    /** counters()'s slow path, out of line: the first operation or close of this channel. */
    private Counters firstCounters() {
        if (capacity != 0) {
            PERMITS.compareAndSet(this, null, new PermitQueue(capacity)); // cas: one allocation wins
        }
        COUNTERS.compareAndSet(this, null, new Counters(capacity)); // cas: one allocation wins
        return counters;
    }

    /** {@return S and the status bits, without allocating the counters: 0 before the first operation} */
    private long status() {
        Counters c = counters;
        return c == null ? 0L : c.status();
    }

    private Segment sendSegment() {
        Segment segment = sendSegment;
        return segment != null
                ? segment
                : Segment.installFirst(this, HEAD, SEND_SEGMENT, RECEIVE_SEGMENT, rendezvous);
    }

    private Segment receiveSegment() {
        Segment segment = receiveSegment;
        return segment != null
                ? segment
                : Segment.installFirst(this, HEAD, RECEIVE_SEGMENT, SEND_SEGMENT, rendezvous);
    }

    /* ---- send ---- */

    /**
     * Sends {@code element}, waiting until {@code deadline} while the channel has no room.
     *
     * @return {@link Signal#SENT} or {@link Signal#TIMED_OUT}
     * @throws ChannelClosedException if the channel is closed, or closes while this call waits
     * @throws InterruptedException if interrupted while waiting; nothing was sent
     */
    Signal send(E element, long deadline) throws InterruptedException {
        if (capacity == 0) {
            return sendWithTickets(element, rendezvous, deadline, null);
        }
        while (true) {
            Counters c = counters();
            if (yieldsBeforeOwing(c, deadline)) {
                Thread.yield(); // a receiver queued on this carrier runs: acquireNow collects what it freed
                if (Thread.interrupted()) {
                    throw new InterruptedException(); // it holds no permit and owes none
                }
            }
            if (permits.acquireNow(c)) {
                return sendWithTickets(element, false, deadline, null);
            }
            PermitWaiter waiter = new PermitWaiter(true);
            if (!permits.enqueue(waiter, c)) {
                return sendWithTickets(element, false, deadline, null); // a permit was left for it
            }
            Signal result = sendOwed(element, waiter, deadline);
            if (result != Signal.RETRY) {
                return result;
            }
        }
    }

    /**
     * {@return whether a plain buffered send yields its carrier before it owes a permit} On a
     * virtual thread, when no permit is free or parked, the deadline is not near and the channel
     * is open (a closed one fails the send at once): PermitQueue, "Yield before owing" (ADR 0012).
     */
    private boolean yieldsBeforeOwing(Counters c, long deadline) {
        return YIELD_BEFORE_OWING && Thread.currentThread().isVirtual() && permits.nothingFree(c)
                && !Waiter.nearDeadline(deadline != Waiter.NO_DEADLINE, deadline)
                && !isClosedForSend();
    }

    /**
     * Sends {@code element} only if that needs no waiting.
     *
     * @return whether it was sent
     * @throws ChannelClosedException if the channel is closed
     */
    boolean trySendNow(E element) {
        if (capacity != 0) {
            if (isClosedForSend()) {
                throw closedException();
            }
            Counters c = counters(); // first: it sets permits on a first use
            if (!permits.tryAcquire(c)) {
                return false;
            }
            return sendNow(element, false);
        }
        return sendNow(element, rendezvous);
    }

    /**
     * For a select's send clause: sends {@code element} if that needs no waiting, else places
     * {@code registration} where the clause waits: in a rendezvous cell with the element, or in
     * a buffered channel's permit queue. The caller checks for a close after a registration.
     *
     * @return {@link Signal#SENT} or {@link Signal#REGISTERED}
     * @throws ChannelClosedException if the channel is closed
     */
    Signal sendOrRegister(E element, SelectRound.Registration registration) {
        if (capacity == 0) {
            return sendWithoutWaiting(element, rendezvous, registration);
        }
        Counters c = counters();
        if (permits.acquireNow(c) || !permits.enqueue(registration, c)) {
            return sendWithoutWaiting(element, false, null); // admitted
        }
        registration.inPermits = true;
        return Signal.REGISTERED;
    }

    /**
     * Sends {@code element} after a select's send clause on a buffered channel was granted a
     * permit: like an admitted sender.
     *
     * @throws ChannelClosedException if the channel closed meanwhile
     */
    void sendGranted(E element) {
        sendWithoutWaiting(element, false, null);
    }

    /** sendWithTickets for callers that never wait: admitted senders and select registrations. */
    private Signal sendWithoutWaiting(E element, boolean mayWait, SelectRound.Registration registration) {
        try {
            return sendWithTickets(element, mayWait, NO_WAIT, registration);
        } catch (InterruptedException e) {
            throw new AssertionError("a send that does not wait was interrupted", e);
        }
    }

    /**
     * Takes tickets until the element is sent. With {@code mayWait}, a plain sender waits in an
     * empty cell (rendezvous), and {@code registration}, if not null, is placed there if no
     * receiver holds the ticket yet; without {@code mayWait} the element is buffered there. A
     * buffered channel calls this only for an admitted sender, which holds a permit.
     */
    private Signal sendWithTickets(E element, boolean mayWait, long deadline, SelectRound.Registration registration)
            throws InterruptedException {
        // A plain blocking send takes the outsiders' turn; an unbounded one never waits, so takes none.
        boolean turns = deadline != NO_WAIT && (mayWait || capacity != 0);
        while (true) {
            Counters c = counters();
            Segment segment = sendSegment();
            long ticket = c.takeSendTicket(); // xadd: takes ticket s
            if ((ticket & CLOSED_BIT) != 0) {
                throw closedAfterAdmission();
            }
            Segment found = locate(SEND, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                c.casStatus(ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            int cell = Segment.cellIndex(ticket);
            Signal result = sendToCell(found, cell, ticket, element, mayWait, registration);
            if (result == Signal.PLACED) {
                return afterOutsidersTurn(awaitReceiver(found, cell, deadline), ticket, turns);
            }
            if (result != Signal.RETRY) {
                return afterOutsidersTurn(result, ticket, turns);
            }
        }
    }

    /**
     * Sends without waiting: in rendezvous mode ({@code receiverNeeded}) only to a receiver that
     * holds a ticket no sender has; otherwise always (unbounded, or admitted by a permit).
     */
    private boolean sendNow(E element, boolean receiverNeeded) {
        while (true) {
            Counters c = counters();
            Segment segment = sendSegment();
            long status = c.status();
            if ((status & CLOSED_BIT) != 0) {
                throw closedAfterAdmission();
            }
            long ticket = status & COUNT_MASK;
            if (receiverNeeded && ticket >= c.receivers()) {
                return false; // no receiver is waiting or on its way
            }
            if (!c.casStatus(status, status + 1)) { // cas: takes ticket s
                continue;
            }
            Segment found = locate(SEND, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                c.casStatus(ticket + 1, found.firstTicket());
                continue;
            }
            if (sendToCell(found, Segment.cellIndex(ticket), ticket, element, false, null) == Signal.SENT) {
                return true;
            }
        }
    }

    /**
     * Sends {@code element} in {@code cell}, the cell of send ticket {@code ticket}.
     *
     * @return {@link Signal#SENT}; {@link Signal#RETRY} if the cell is dead; {@link Signal#REGISTERED}
     *     if {@code registration} now waits in the cell; or, with {@code mayWait} and no
     *     registration, {@link Signal#PLACED}: the sender placed SENDER and the element in the
     *     cell, for the caller to wait there (awaitReceiver)
     */
    private Signal sendToCell(Segment segment, int cell, long ticket, E element, boolean mayWait,
            SelectRound.Registration registration) {
        // A send that never waits takes the cell for empty without reading it ("First CAS" above).
        Object state = mayWait ? segment.lvState(cell) : null;
        if (state == null) {
            // A plain rendezvous sender waits in the cell whether or not its receiver holds the
            // ticket: it reads no R, the line the receivers write, and a receiver on its way takes
            // from SENDER as from BUFFERED. PingPongBenchmark and TransferBenchmark rendezvous
            // 1P1C and 4P4C took 0.71, 0.66 and 0.74 of their time in the slow state, and 0.67 to
            // 0.74, 0.79 to 0.95 and 0.99 to 1.10 in two gated A/Bs in the fast state, where
            // skipping the read had made ping-pong slower before ADR 0014 (ADR 0014's addendum;
            // benchmarks/RESULTS.md, "A rendezvous sender that does not read R, in the slow state"
            // and "A rendezvous sender that waits in its cell, in the fast state"). A select's
            // send clause reads R: with ticket < R the receiver of this ticket exists, so the
            // element waits for it.
            Object placed = !mayWait ? CellState.BUFFERED
                    : registration == null ? CellState.SENDER
                    : ticket < counters.receivers() ? CellState.BUFFERED : registration;
            segment.spElement(cell, element); // published by the cas below
            if (segment.casState(cell, null, placed)) {
                if (placed == CellState.BUFFERED) {
                    return Signal.SENT;
                }
                if (placed == CellState.SENDER) {
                    return Signal.PLACED; // sendWithTickets waits ("Blocking")
                }
                registration.segment = segment;
                registration.cell = cell;
                return Signal.REGISTERED;
            }
            segment.spElement(cell, null);
            state = segment.lvState(cell); // a receiver or a dead cell: no cell is ever empty again
        }
        if (CellReceiver.isWaiting(state) || state instanceof PublishedWaiter) {
            if (handOver(segment, cell, state, element)) {
                segment.cleanPrev(); // both counters have passed this cell
                if (capacity != 0) {
                    permits.returnUnused(counters); // the element never took a buffer slot
                }
                return Signal.SENT;
            }
            return Signal.RETRY; // the receiver left or was closed
        }
        if (state == CellState.POISONED || state == CellState.RECEIVE_CANCELLED || state == CellState.CLOSED) {
            return Signal.RETRY; // CLOSED: fail() woke a receiver here, or closed it under us
        }
        throw new IllegalStateException("unexpected state " + state + " for send ticket " + ticket + " in " + this);
    }

    /** The plain rendezvous sender's wait in its cell. */
    private Signal awaitReceiver(Segment segment, int cell, long deadline) throws InterruptedException {
        Object result;
        try {
            // close() may have walked past this cell before the sender placed itself: check again.
            result = isClosedForSend() && CellSender.close(segment, cell, CellState.SENDER)
                    ? Signal.CLOSED
                    : awaitHandoff(segment, cell, true, deadline);
        } catch (Throwable failure) { // see "An Error in a wait"
            result = settledDespite(segment, cell, true);
            if (result == null) {
                leaveCell(segment, cell, Signal.TIMED_OUT);
                throw failure;
            }
        }
        if (result == Signal.TAKEN) {
            return Signal.SENT; // the receiver cleared the element and finished the cell
        }
        return leaveCell(segment, cell, result);
    }

    /**
     * The owed sender of a buffered channel: its {@code waiter} is registered in the PermitQueue;
     * it places the element in its cell and waits there until admitted or taken.
     *
     * @return SENT, TIMED_OUT, or RETRY if it handed nothing over and must start again
     */
    private Signal sendOwed(E element, PermitWaiter waiter, long deadline) throws InterruptedException {
        while (true) {
            Counters c = counters();
            Segment segment = sendSegment();
            long ticket = c.takeSendTicket(); // xadd: takes ticket s
            if ((ticket & CLOSED_BIT) != 0) {
                if (!withdraw(waiter, Signal.CLOSED)) {
                    permits.returnUnused(c); // admitted meanwhile, but the element stays with the sender
                }
                throw closedException();
            }
            Segment found = locate(SEND, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                c.casStatus(ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            int cell = Segment.cellIndex(ticket);
            while (true) {
                Object state = found.lvState(cell);
                if (state == null) {
                    found.spElement(cell, element); // published by the cas below
                    if (found.casState(cell, null, waiter)) {
                        return afterOutsidersTurn(awaitAdmission(found, cell, waiter, deadline), ticket, true);
                    }
                    found.spElement(cell, null);
                    continue;
                }
                if (CellReceiver.isWaiting(state) || state instanceof PublishedWaiter) {
                    // A receiver waits here: hand the element over without a buffer slot.
                    boolean admitted = !withdraw(waiter, Signal.WITHDRAWN);
                    if (handOver(found, cell, state, element)) {
                        found.cleanPrev();
                        if (admitted) {
                            permits.returnUnused(c); // the element never took the slot it was granted
                        }
                        return afterOutsidersTurn(Signal.SENT, ticket, true);
                    }
                    // That receiver left. Holding a permit, send like an admitted sender; if not,
                    // the debt was given up with the withdrawal: start again.
                    return admitted ? sendWithTickets(element, false, deadline, null) : Signal.RETRY;
                }
                if (state == CellState.POISONED || state == CellState.RECEIVE_CANCELLED || state == CellState.CLOSED) {
                    break; // dead cell (CLOSED: see sendToCell): next ticket
                }
                throw new IllegalStateException("unexpected state " + state + " for send ticket " + ticket + " in " + this);
            }
        }
    }

    /** The owed sender's wait in its cell, until a permit or a receiver arrives. */
    private Signal awaitAdmission(Segment segment, int cell, PermitWaiter waiter, long deadline)
            throws InterruptedException {
        Object result;
        try {
            result = isClosedForSend() && waiter.tryCancel(Signal.CLOSED)
                    ? Signal.CLOSED
                    : awaitBuffer(waiter, deadline);
        } catch (Throwable failure) { // see "An Error in a wait"
            if (waiter.tryCancel(Signal.INTERRUPTED)) {
                permits.retire(waiter, counters);
                leaveCell(segment, cell, Signal.TIMED_OUT);
                throw failure;
            }
            result = waiter.result(); // granted, taken or closed first: that outcome stands
        }
        if (result == Signal.GRANTED) {
            segment.casState(cell, waiter, CellState.BUFFERED); // unless a receiver took it already
            return Signal.SENT;
        }
        permits.retire(waiter, counters);
        if (result == Signal.TAKEN) {
            return Signal.SENT; // a receiver took the element directly and finished the cell
        }
        return leaveCell(segment, cell, result);
    }

    /**
     * Settles an owed sender's waiter that is not waiting in a cell yet, and retires its
     * registration unless a permit was granted to it.
     *
     * @return {@code true} if it is withdrawn; {@code false} if it was granted a permit first
     */
    private boolean withdraw(PermitWaiter waiter, Signal why) {
        if (!waiter.tryCancel(why) && waiter.result() == Signal.GRANTED) {
            return false;
        }
        permits.retire(waiter, counters());
        return true;
    }

    /** A blocked sender whose element was not taken: frees its cell and reports how it ended. */
    private Signal leaveCell(Segment segment, int cell, Object result) throws InterruptedException {
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

    /** A sender that finds the channel closed after it was admitted gives its permit back. */
    private ChannelClosedException closedAfterAdmission() {
        if (capacity != 0) {
            permits.returnUnused(counters());
        }
        return closedException();
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
        return receive(deadline, null);
    }

    /**
     * For a select's receive clause: receives an element if one is there now, else places
     * {@code registration} in the cell of a new receive ticket.
     *
     * @return the element, {@link Signal#CLOSED} if the channel is closed and drained, or failed,
     *     or {@link Signal#REGISTERED}
     */
    Object receiveOrRegister(SelectRound.Registration registration) {
        try {
            return receive(NO_WAIT, registration);
        } catch (InterruptedException e) {
            throw new AssertionError("a receive that does not wait was interrupted", e);
        }
    }

    private Object receive(long deadline, SelectRound.Registration registration) throws InterruptedException {
        // A plain blocking receive takes the outsiders' turn; a tryReceive or a select's does not.
        boolean turns = deadline != NO_WAIT;
        while (true) {
            Counters c = counters();
            if (closeStarted()) {
                long status = c.status();
                if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || c.receivers() >= c.closedAt())) {
                    return Signal.CLOSED; // without taking a ticket, so a drained channel stays cheap
                }
            }
            Segment segment = receiveSegment();
            long ticket = c.takeReceiveTicket(); // xadd: takes ticket r
            // The receive reads S (the status) only if it finds its cell empty (and then not a
            // plain receive on an open rendezvous channel, see receiveFromCell): a cell at or past
            // closedAt never holds a sender's element, so it is found empty or CLOSED, and either
            // answers CLOSED. Until then the senders keep S's line to themselves (see
            // closeStarted). After a fail the cell is visited too: a fail that read R after this
            // ticket was taken left its element for this receiver (see close); otherwise the cell
            // is found discarded, empty or closed, or with an element the receiver discards
            // itself (discardedUnder), and the receive reports the failure from there.
            Segment found = locate(RECEIVE, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                c.casReceivers(ticket + 1, found.firstTicket()); // skip dead cells
                continue;
            }
            int cell = Segment.cellIndex(ticket);
            // A buffered element is taken here, as receiveFromCell would take it: that method is
            // too big for the JIT to inline, and a call per element cost more than this read
            // (UncontendedBenchmark 23.3 to 21.7 ns, with Segment.Owner; benchmarks/RESULTS.md,
            // "A receive takes a buffered element without a call").
            Object state = found.lvState(cell);
            Object result = state == CellState.BUFFERED ? takeBuffered(found, cell, state, ticket) : null;
            if (result == null) { // not BUFFERED, or its CAS lost to a fail: the cell again
                result = receiveFromCell(found, cell, ticket, true, registration);
            }
            if (result == Signal.PLACED) {
                return afterOutsidersTurn(awaitSender(found, cell, deadline), ticket, turns);
            }
            if (result != Signal.RETRY) {
                return afterOutsidersTurn(result, ticket, turns);
            }
        }
    }

    /**
     * Receives an element if one is there: takes a ticket only when a sender holds it already.
     *
     * <p>It first looks at the cell of ticket r (the current R): if a sender's element is there
     * (BUFFERED, or with its sender waiting) and no close has begun, it takes the ticket without
     * reading S, the line every sender writes, which a receiver that polls a busy channel would
     * otherwise pull from the senders on every call. The element's sender holds ticket r, so S
     * is past r: the read of S would have said the same. An empty cell (nothing sent, or its
     * sender on its way) and a close in progress still go through S, which tells the two apart
     * and holds the closed status. SelectBenchmark's select2Receive, whose receiver polls two
     * buffered channels that two senders keep full, median 103 to 90 ns per select in five
     * alternating rounds, select2ReceiveReused 111 to 98 (benchmarks/RESULTS.md, "A tryReceive
     * that finds its element reads no S").
     *
     * @return the element, {@link Signal#WOULD_BLOCK}, or {@link Signal#CLOSED}
     */
    Object tryReceiveNow() {
        while (true) {
            Counters c = counters();
            Segment segment = receiveSegment();
            long ticket = c.receivers();
            int cell = Segment.cellIndex(ticket);
            boolean elementThere = segment.id == Segment.segmentId(ticket)
                    && holdsSendersElement(segment.lvState(cell)) && !closeStarted();
            if (!elementThere) {
                long status = c.status(); // read after R: S <= r now means nothing to take now
                if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || ticket >= c.closedAt())) {
                    return Signal.CLOSED;
                }
                if (ticket >= (status & COUNT_MASK)) {
                    return Signal.WOULD_BLOCK;
                }
            }
            if (!c.casReceivers(ticket, ticket + 1)) { // cas: takes ticket r
                continue;
            }
            Segment found = locate(RECEIVE, segment, ticket); // segment itself if the element was there
            if (found.id != Segment.segmentId(ticket)) {
                c.casReceivers(ticket + 1, found.firstTicket());
                continue;
            }
            Object result = receiveFromCell(found, cell, ticket, false, null);
            if (result != Signal.RETRY) {
                return result == Signal.TIMED_OUT ? Signal.WOULD_BLOCK : result;
            }
            // RETRY: a dead cell, or a sender that left (timed out, interrupted, failed by a close,
            // a select done elsewhere): the next ticket
        }
    }

    /**
     * {@return whether a cell in {@code state} holds a sender's element for its receiver} Buffered,
     * or with its sender waiting there: a plain rendezvous sender (SENDER or its ParkedSender), an
     * owed sender's Waiter, or a select's send registration (settled or not: receiveFromCell finds
     * out). A receiver's state (RECEIVER, a Thread, a receive registration) is not: it is there
     * only if another receiver took the ticket since R was read, and then the caller's CAS on R
     * fails.
     */
    private static boolean holdsSendersElement(Object state) {
        return state == CellState.BUFFERED || CellSender.isWaiting(state)
                || (state instanceof PublishedWaiter waiter && waiter.sender);
    }

    /**
     * Receives from {@code cell}, the cell of receive ticket {@code ticket}.
     *
     * @return the element; {@link Signal#CLOSED}; {@link Signal#RETRY} if the cell is dead;
     *     {@link Signal#TIMED_OUT} if nothing is there and {@code mayWait} is false;
     *     {@link Signal#REGISTERED} if {@code registration} now waits in the cell; or
     *     {@link Signal#PLACED} if this plain receiver placed RECEIVER in the cell, for the caller
     *     to wait there (awaitSender)
     */
    private Object receiveFromCell(Segment segment, int cell, long ticket, boolean mayWait,
            SelectRound.Registration registration) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                // A plain receiver on an open rendezvous channel waits in its cell without reading
                // S, a line the senders write: a sender that holds the ticket already finds
                // RECEIVER and hands over as one that comes later does. closeStarted() after this
                // receiver's get-and-add on R: a close it does not see reads R after, and walks
                // this cell. PingPongBenchmark 157-167 to 130-143 ns, TransferBenchmark
                // rendezvous-1P1C 103-111 to 92-98 (benchmarks/RESULTS.md, "A plain rendezvous
                // receiver reads no counter"; ADR 0010's addendum). A buffered receiver keeps the
                // read: its wait on a buffer parks, which for a sender on its way costs more than
                // awaitArrival's spin.
                if (!rendezvous || !mayWait || registration != null || closeStarted()) {
                    long status = counters.status();
                    if ((status & CLOSED_BIT) != 0 && ((status & FAILED_BIT) != 0 || ticket >= counters.closedAt())) {
                        // Below closedAt (after a fail) the sender of this ticket took it before
                        // the fail and may still arrive: break the cell first, so that it finds
                        // the cell dead and its send fails, rather than leave its element where no
                        // receiver comes and return normally. If it arrived meanwhile, take what
                        // it left.
                        if (ticket >= counters.closedAt() || segment.casState(cell, null, CellState.POISONED)) {
                            return Signal.CLOSED;
                        }
                        continue;
                    }
                    if (ticket < (status & COUNT_MASK)) {
                        // The sender with this ticket is on its way: give it a few spins to
                        // arrive, then break the cell rather than wait longer, so that this
                        // receiver can take an element that is already there.
                        if (IN_FLIGHT_SPINS > 0 && awaitArrival(segment, cell)) {
                            continue;
                        }
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
                }
                if (registration == null) {
                    if (!segment.casState(cell, null, CellState.RECEIVER)) { // cas: against the sender and close
                        continue;
                    }
                    return Signal.PLACED; // receive waits: see "Blocking" above
                }
                if (!segment.casState(cell, null, registration)) {
                    continue;
                }
                registration.segment = segment;
                registration.cell = cell;
                return Signal.REGISTERED;
            }
            if (state == CellState.BUFFERED) {
                Object got = takeBuffered(segment, cell, state, ticket); // against fail()
                if (got != null) {
                    return got;
                }
                continue;
            }
            if (CellSender.isWaiting(state)) {
                if (closeStarted() && isClosedForSend()) {
                    if (CellSender.close(segment, cell, state)) {
                        return Signal.RETRY; // a sender blocked at close fails
                    }
                    continue;
                }
                if (CellSender.take(segment, cell, state)) {
                    return take(segment, cell, false);
                }
                continue;
            }
            if (state instanceof PublishedWaiter sender) {
                if (closeStarted() && isClosedForSend() && sender.tryResume(Signal.CLOSED)) {
                    return Signal.RETRY; // a sender blocked at close fails
                }
                if (sender.tryResume(Signal.TAKEN)) { // cas: the element is ours, without a slot
                    segment.soState(cell, CellState.DONE);
                    return take(segment, cell, false);
                }
                if (sender.result() == Signal.GRANTED) { // admitted: a buffered element
                    // The CAS races its owner (to BUFFERED) and fail().
                    Object got = takeBuffered(segment, cell, sender, ticket);
                    if (got != null) {
                        return got;
                    }
                    continue;
                }
                return Signal.RETRY; // the sender left
            }
            if (state == CellState.SEND_CANCELLED || state == CellState.POISONED) {
                // POISONED by isClosedForReceive's probe (holdsElement), which read R before this
                // receiver took the ticket and found the cell empty, its sender on its way: the
                // cell is dead for both of them.
                return Signal.RETRY;
            }
            if (state == CellState.CLOSED || state == CellState.DISCARDED) {
                return Signal.CLOSED;
            }
            throw new IllegalStateException("unexpected state " + state + " for receive ticket " + ticket + " in " + this);
        }
    }

    /**
     * {@return whether a fail has begun that discards the buffered element in the cell of this
     * receive ticket} For a receiver that took {@code ticket} and found a buffered element there.
     * A fail discards the elements at or past R as it read it after setting the status bits; a
     * receiver whose ticket is at or past that read took it after the fail began, so it sees
     * closeReason here (volatile, read after its get-and-add on R). It must not take the element:
     * taken, it would be delivered while an element before it was discarded (with a receiver of
     * the earlier ticket failed), which no order of the calls explains (found by review;
     * FailInFlightReceiverTest). It discards the element itself, racing the walk for the same
     * CAS, since the walk starts at the older segment pointer, which receivers past this cell may
     * have moved beyond its segment (found by the review of the fix). A receiver of an earlier
     * ticket takes its element, whose send may have returned. One read of a line every receive
     * reads already while the channel is open; three gated A/Bs of the fixes read +2 to +16 %
     * in two and -2 to -3 % in the third on the buffered workloads, within this machine's spread
     * (benchmarks/RESULTS.md, "Three correctness fixes against run 31's jar"). After a fail has
     * begun, a short wait for its read of R (as in awaitClosedStatus).
     */
    private boolean discardedUnder(long ticket) {
        // A rendezvous channel's fail discards nothing, nor does a close (lv closeReason).
        if (rendezvous || !(closeReason instanceof Throwable)) {
            return false;
        }
        long from;
        for (int spins = 0; (from = counters.discardsFrom()) < 0; spins++) { // lv: the fail's sv
            awaitCloserStep(spins);
        }
        return ticket >= from;
    }

    /**
     * {@return whether the cell stopped being empty within IN_FLIGHT_SPINS spins} For a receiver
     * whose sender holds the ticket but has not reached the cell yet. That sender is running
     * (between its get-and-add and its CAS there is no point where a virtual thread unmounts), so
     * it arrives within a few cache misses; poisoning the cell instead costs both of them a new
     * ticket.
     */
    private static boolean awaitArrival(Segment segment, int cell) {
        for (int i = 0; i < IN_FLIGHT_SPINS; i++) {
            Thread.onSpinWait();
            if (segment.lvState(cell) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the buffered element of the cell of receive ticket {@code ticket}, read as
     * {@code state} (BUFFERED, or a granted owed sender's Waiter), with one CAS to DONE; or, where
     * a fail discards it (discardedUnder), CASes the cell to DISCARDED and drops the element.
     * Where no fail discards a BUFFERED cell, a release store would do, or no write at all, but
     * both measured slower on buffered streams across two CPUs: without the write, on an Intel
     * guest, UncontendedBenchmark read 16 to 22 % faster, and TransferBenchmark buffered 1024 1P1C
     * and 64 4P4C 23 to 64 % and 30 to 45 % slower, their receivers waiting several times as often
     * (by inference, a cheaper receive catches its sender up and parks; benchmarks/RESULTS.md, "A
     * receiver that takes a buffered element without a CAS", "A receiver that writes no state,
     * and what paces a buffered stream").
     *
     * @return the element; {@link Signal#CLOSED} if it was discarded, for the receive to report
     *     the failure; {@code null} if the CAS failed and the cell must be read again
     */
    private Object takeBuffered(Segment segment, int cell, Object state, long ticket) {
        boolean discard = discardedUnder(ticket);
        if (!segment.casState(cell, state, discard ? CellState.DISCARDED : CellState.DONE)) { // cas
            return null;
        }
        if (discard) {
            segment.spElement(cell, null);
            return Signal.CLOSED;
        }
        return take(segment, cell, true);
    }

    /** Takes the element of a cell this receiver just finished, freeing its buffer slot if it had one. */
    private Object take(Segment segment, int cell, boolean heldPermit) {
        Object element = segment.lpElement(cell); // ordered by the cas that finished the cell
        segment.spElement(cell, null);
        segment.cleanPrev(); // both counters have passed this cell
        if (heldPermit && capacity != 0) {
            permits.release(counters);
        }
        return element;
    }

    /**
     * Hands {@code element} to the receiver waiting in this cell, read as {@code state}: a plain
     * receiver waiting in the cell itself (CellReceiver), or a select's registration, which the
     * sender settles and then marks the cell DONE (the select's thread never comes back to it).
     *
     * @return {@code false} if the receiver left or was closed first
     */
    private static boolean handOver(Segment segment, int cell, Object state, Object element) {
        if (!(state instanceof PublishedWaiter registration)) {
            return CellReceiver.handOver(segment, cell, state, element);
        }
        if (!registration.tryResume(element)) { // cas: settles the select's round
            return false;
        }
        segment.soState(cell, CellState.DONE);
        return true;
    }

    /**
     * A plain receiver's wait in its cell, where it placed RECEIVER. The element arrives in the
     * cell itself (CellReceiver): the sender reads the cell and settles the wait with one CAS
     * there, touching no other line of this thread's.
     */
    private Object awaitSender(Segment segment, int cell, long deadline) throws InterruptedException {
        Object result;
        try {
            result = rendezvous
                    ? awaitHandoff(segment, cell, false, deadline)
                    : awaitBuffer(new CellReceiver(segment, cell), deadline);
        } catch (Throwable failure) { // see "An Error in a wait"
            result = settledDespite(segment, cell, false);
            if (result == null) {
                segment.onCellCancelled();
                throw failure;
            }
        }
        if (!(result instanceof Signal)) {
            segment.spElement(cell, null); // the sender left the element there, the cell DONE
            return result; // the element; the sender freed any permit
        }
        segment.onCellCancelled(); // RECEIVE_CANCELLED by this thread, or CLOSED by close
        if (result == Signal.INTERRUPTED) {
            throw new InterruptedException();
        }
        return result; // TIMED_OUT or CLOSED
    }

    /**
     * Ends the wait of the plain party in {@code cell} (a sender if {@code sender}) after the wait
     * threw: {@return the answer, if its peer or a close settled the cell first, or null once the
     * cell is left as a timeout leaves it, by this call or by the owner's own timeout or interrupt
     * before the Error (after Waiter.await's tryCancel, in its yield or in awaitHandoff's
     * bookkeeping)} See "An Error in a wait".
     */
    Object settledDespite(Segment segment, int cell, boolean sender) {
        while (true) {
            Object state = segment.lvState(cell);
            if (sender ? CellSender.isWaiting(state) : CellReceiver.isWaiting(state)) {
                CellState left = sender ? CellState.SEND_CANCELLED : CellState.RECEIVE_CANCELLED;
                if (segment.casState(cell, state, left)) { // cas: against the peer and close
                    return null;
                }
                continue;
            }
            // Only the owner cancels a plain receiver's cell; a close settles a sender's only once
            // the channel is closed, so before that SEND_CANCELLED is the owner's too.
            if (sender ? state == CellState.SEND_CANCELLED && !isClosedForSend() : state == CellState.RECEIVE_CANCELLED) {
                return null;
            }
            Object answer = sender ? CellSender.answer(segment, cell) : CellReceiver.answer(segment, cell);
            if (answer == null) {
                throw new IllegalStateException("unexpected state " + state + " of a "
                        + (sender ? "sender's" : "receiver's") + " cell after its wait threw");
            }
            return answer;
        }
    }

    /**
     * {@return {@code result}, after Carriers.outsidersTurn() if the operation that took
     * {@code ticket} is {@code plainBlocking} (a blocking send or receive: not a select's, a
     * {@code try} one or an unbounded send), ran on a virtual thread and did not time out, and
     * its ticket is one in OUTSIDERS_TURN_PERIOD} Called once the operation is over, so that the
     * thread holds nothing while it is parked; a timed-out one returns at once, not a park later.
     */
    private static <T> T afterOutsidersTurn(T result, long ticket, boolean plainBlocking) {
        if ((ticket & OUTSIDERS_TURN_MASK) == OUTSIDERS_TURN_MASK && plainBlocking && result != Signal.TIMED_OUT
                && Thread.currentThread().isVirtual()) {
            try {
                Carriers.outsidersTurn();
            } catch (Error dropped) {
                // The operation is over: its outcome stands, as in "An Error in a wait".
            }
        }
        return result;
    }

    /* ---- select ---- */

    /**
     * Removes a select's registration that did not complete its clause (or completed it with a
     * closure), as the owner of a timed-out waiter leaves its cell. Only the select's owner calls
     * this, after its round was settled, so no peer can complete the registration any more.
     */
    void cancelRegistration(SelectRound.Registration registration) {
        if (registration.inPermits) {
            permits.retire(registration, counters());
            return;
        }
        Segment segment = registration.segment;
        int cell = registration.cell;
        if (registration.sender) {
            segment.spElement(cell, null);
            segment.svState(cell, CellState.SEND_CANCELLED);
        } else {
            segment.svState(cell, CellState.RECEIVE_CANCELLED);
        }
        segment.onCellCancelled();
    }

    /** {@return whether this is a rendezvous channel} */
    boolean isRendezvous() {
        return rendezvous;
    }

    /**
     * A rendezvous party's wait, with the HANDOFF policy; its yield is left out while yields on
     * this channel keep missing. The yield pays where the peer this thread just woke answers it
     * (ping-pong on one carrier, 4P4C), and costs a trip through the scheduler's queue before the
     * park where the answer comes from elsewhere (a ring: the token comes back after N hops).
     * Only virtual threads yield, so only their waits that were to yield and ended with the
     * peer's answer count (not timeouts, interrupts or closes): see yieldsNext, retryDue and
     * nextYieldLevel. RingBenchmark, 4 forks each: ring of 1,000 514 to 400 us per trip, of 100
     * 50.7 to 42.8 us (benchmarks/RESULTS.md, "Adaptive yield"). Left out, the yield is retried on
     * one wait in 8, then 16 and so on up to 256 while the retries miss, the wait picked by its
     * ticket, so that a wait that does not retry writes nothing: ring of 10,000 on one carrier
     * 1.126 to 1.004 freezes per hop, ping-pong no slower (benchmarks/RESULTS.md, "A yield level
     * retried by the ticket").
     *
     * <p>Where the scheduler has threads queued, a wait on this channel busy-spins first (the
     * HANDOFF_BUSY policies) while such spins bring the answer: with more parties than carriers
     * (4P4C), a peer on the other carrier answers within the spin, and the two hand over without
     * a trip through the scheduler each; in a ring nobody answers within it, and it only keeps
     * the thread just woken off its carrier. So misses leave the spin out, with retries further
     * and further apart, and a run of hits ends with one wait without it, so that the queued
     * threads get the carrier: see queuedThreadsTurn, busySpinsNext and nextBusySpinState. The
     * waits that leave the spin out write nothing, their retries picked by the ticket as the
     * yield's are: RingBenchmark 10,000 and 100,000 and rendezvous-4P4C faster in most rounds of
     * two A/Bs, rendezvous-1P1C alike (benchmarks/RESULTS.md, "Busy-spin retries picked by the
     * ticket").
     * TransferBenchmark rendezvous-4P4C 236-287 to 167-190 ns per element in the rounds of one
     * A/B (faster in every round of three sets), PingPongBenchmark alike or faster; the rings
     * were measured with an earlier version only (benchmarks/RESULTS.md, "Busy spins for
     * rendezvous waits").
     *
     * <p>After the wait, one that found threads queued or parked tells its segment, which then
     * packs the cells of the segment appended after it (Segment's "Layouts").
     *
     * <p>The wait's quiet spin reads the cell before the party's CellWaiter exists
     * (CellWaiter.quietSpin), and so does its busy spin (busySpinFirst), made when the scheduler
     * was not quiet and the policy has one (await() makes none); the waiter is made only if
     * neither brought an answer: a handoff whose peer answers within either spin allocates no
     * waiter (40 bytes then, 32 since PublishedWaiter), which the JIT did not scalar-replace, even
     * with await() forced inline. An answer in the quiet spin is a wait that ended early, which
     * changes no yield level or busy-spin state and is not slow, as in await(); one in the busy
     * spin is a hit, which changes no yield level, is counted in busySpinState and is slow, as
     * when the busy spin was await()'s. TransferBenchmark rendezvous-1P1C
     * 73.9 to 34.3 bytes per element and PingPongBenchmark 147 to 68 per round trip (-prof gc),
     * times alike (benchmarks/RESULTS.md, "A handoff wait's waiter made after its quiet spin");
     * the busy spin, rendezvous-4P4C 47-49 to 21-28 bytes per element, times alike ("The busy
     * spin before the waiter, again").
     */
    private Object awaitHandoff(Segment segment, int cell, boolean sender, long deadline) {
        if (cell == Segment.APPEND_AHEAD_CELL) {
            segment.appendAhead(); // before the wait ("Appending ahead" in Segment)
        }
        boolean virtual = Thread.currentThread().isVirtual();
        boolean quiet = Waiter.spinsQuietly(virtual, Waiter.WaitPolicy.HANDOFF);
        if (quiet) {
            Object answer = CellWaiter.quietSpin(segment, cell, sender, deadline);
            if (answer != null) {
                return answer; // as a wait that ends early: no level or state to change, not slow
            }
        }
        byte found = quiet ? Waiter.QUIET_SPUN : Waiter.NOT_QUIET;
        if (!ADAPTIVE_YIELD || !virtual) {
            CellWaiter waiter = CellWaiter.of(segment, cell, sender);
            Object result = waiter.await(deadline, Waiter.WaitPolicy.HANDOFF, this, found);
            noteSlowWait(waiter);
            return result;
        }
        long ticket = segment.firstTicket() + cell;
        int level = yieldLevel;
        int spinState = busySpinState;
        boolean yields = yieldsNext(level, ticket) || queuedThreadsTurn(spinState);
        Waiter.WaitPolicy policy = busySpinsNext(spinState, ticket)
                ? (yields ? Waiter.WaitPolicy.HANDOFF_BUSY : Waiter.WaitPolicy.HANDOFF_BUSY_NO_YIELD)
                : (yields ? Waiter.WaitPolicy.HANDOFF : Waiter.WaitPolicy.HANDOFF_NO_YIELD);
        if (!quiet && policy.busySpins() > 0) {
            Object answer = busySpinFirst(segment, cell, sender, deadline, policy.busySpins(), spinState);
            if (answer != null) {
                return answer;
            }
            found = Waiter.BUSY_SPUN;
        }
        CellWaiter waiter = CellWaiter.of(segment, cell, sender);
        Object result = waiter.await(deadline, policy, this, found);
        if (yields && result != Signal.TIMED_OUT && result != Signal.INTERRUPTED && result != Signal.CLOSED) {
            int next = nextYieldLevel(level, waiter.ended());
            if (next != level) {
                yieldLevel = (byte) next;
            }
        }
        // A spin that missed taught that, however the wait ended.
        int nextSpinState = nextBusySpinState(spinState, waiter.busy());
        if (nextSpinState != spinState) {
            busySpinState = nextSpinState;
        }
        noteSlowWait(waiter);
        return result;
    }

    /**
     * A plain wait on a buffer (a receiver on an empty buffered or unbounded channel, an owed
     * sender): the QUEUE policy without its yield, so a virtual thread parks at once. A plain
     * sender already yields before it owes (yieldsBeforeOwing), which is where a yield lets the
     * other side drain the buffer. Why the wait's own yield costs more than it saves where more
     * parties than carriers take turns was not measured (a second trip through the scheduler is
     * the guess). Against that yield: TransferBenchmark buffered64-4P4C 0.67 of the time and
     * PairsBenchmark 10,000 pairs 0.78 (lower in 3 of 3 rounds), 1,000 pairs 0.94 (a tie), the
     * other buffered workloads within 4 %, but buffered1024-1P1C 4 to 23 % slower in all four
     * A/Bs (benchmarks/RESULTS.md, "A buffer wait without its yield"); an unbounded channel's
     * receivers were not measured. A select's wait keeps its yield: without it too,
     * select2Receive was 14 % slower. {@code io.github.csp4j.bufferWaitYield=true} puts the
     * yield back.
     */
    private Object awaitBuffer(Waiter waiter, long deadline) {
        return waiter.await(deadline, BUFFER_WAIT, this);
    }

    /**
     * The busy spin of a plain handoff wait in {@code cell}, made before the party's CellWaiter
     * exists (CellWaiter.busySpin), given the channel's busySpinState {@code spinState} as the
     * wait read it: {@return the answer, or null if none came within {@code spins}} An answer is a
     * hit, counted in busySpinState, and the wait was slow (it found threads queued), which the
     * segment is told; it changes no yield level (it ended before the yield). A miss changes
     * nothing here: the caller's waiter reports it (Waiter.BUSY_SPUN).
     */
    Object busySpinFirst(Segment segment, int cell, boolean sender, long deadline, int spins, int spinState) {
        Object answer = CellWaiter.busySpin(segment, cell, sender, deadline, spins);
        if (answer != null) {
            int nextSpinState = nextBusySpinState(spinState, Waiter.BUSY_HIT);
            if (nextSpinState != spinState) {
                busySpinState = nextSpinState;
            }
            segment.noteSlowWait();
        }
        return answer;
    }

    /** Tells the waiter's segment if its wait was slow: found threads queued, or parked. */
    private static void noteSlowWait(CellWaiter waiter) {
        if (waiter.slow()) {
            waiter.segment.noteSlowWait();
        }
    }

    /**
     * {@return whether the handoff wait for {@code ticket} yields, given the channel's yield
     * level} Below YIELD_MISS_LIMIT it does; from there on only as a retry (retryDue), with the
     * period YIELD_RETRY_PERIOD at YIELD_MISS_LIMIT, doubled with every level above it.
     */
    static boolean yieldsNext(int level, long ticket) {
        return level < YIELD_MISS_LIMIT || retryDue(ticket, YIELD_RETRY_PERIOD << (level - YIELD_MISS_LIMIT));
    }

    /**
     * {@return whether the wait for {@code ticket} is a retry, for a {@code period} (a power of
     * two from 1 to 4096)} True for about one ticket in {@code period}: the low bits of the top
     * 12 bits of the ticket's Fibonacci hash, rather than the ticket's own low bits, so that a
     * channel whose waits fall on every other ticket (or any other pattern of the low bits)
     * still retries about once per period of its waits. The ticket, not a count kept in the
     * channel, so that a wait that does not retry writes nothing.
     */
    static boolean retryDue(long ticket, int period) {
        return ((int) ((ticket * TICKET_MIX) >>> 52) & (period - 1)) == 0;
    }

    /**
     * {@return the yield level after a wait that was to yield, got its answer and ended as
     * {@code ended}} ({@link Waiter#ended()}): 0 after a yield brought the answer; one more, up
     * to YIELD_LEVEL_MAX, after a wait that got to its park loop; unchanged after one that ended
     * before its yield.
     */
    static int nextYieldLevel(int level, byte ended) {
        if (ended == Waiter.ENDED_IN_YIELD) {
            return 0;
        }
        if (ended == Waiter.ENDED_PARKING) {
            return Math.min(level + 1, YIELD_LEVEL_MAX);
        }
        return level;
    }

    /**
     * {@return whether a handoff wait is the one that follows BUSY_HIT_LIMIT busy spins in a row
     * that brought the answer} It goes without the spin and yields (whatever the yield level
     * says), so that the threads queued for its carrier run.
     */
    static boolean queuedThreadsTurn(int state) {
        return busyPeriod(state) == 0 && busyHits(state) >= BUSY_HIT_LIMIT;
    }

    /**
     * {@return whether the handoff wait for {@code ticket} busy-spins, given the channel's
     * busySpinState} While they are not left out, unless BUSY_HIT_LIMIT spins in a row brought
     * the answer; while they are, as a retry (retryDue) with the retry period, so that a wait
     * that leaves them out writes nothing. The hash is the yield's (yieldsNext): since a ticket
     * that retries for a period retries for every shorter one, a busy retry falls on a yield
     * retry wherever the yield's period is no longer, and a busy spin that hits there ends the
     * wait before its yield, which then teaches the yield level nothing (it stays as it was).
     */
    static boolean busySpinsNext(int state, long ticket) {
        // With io.github.csp4j.busySpins=0, HANDOFF_BUSY has no busy spins: nothing to special-case.
        int period = busyPeriod(state);
        return period == 0 ? !queuedThreadsTurn(state) : retryDue(ticket, period);
    }

    /**
     * {@return the busySpinState after a wait that busy-spun as {@code busy}, however it ended}
     * ({@link Waiter#busy()}). While busy spins are not left out, the state counts the spins in
     * a row that brought the answer (bits 8 to 15) and that did not (bits 0 to 7): BUSY_MISS_LIMIT
     * misses leave spins out with the retry period BUSY_RETRY_FIRST, and after BUSY_HIT_LIMIT
     * hits one wait goes without and yields (queuedThreadsTurn), which resets the count. While
     * they are left out, only a retry (busySpinsNext) changes the state: one that brings the
     * answer makes every wait spin again, one that does not doubles the period, up to
     * BUSY_RETRY_MAX; a wait that left them out (BUSY_LEFT_OUT) writes nothing, so that a ring's
     * waits, which all leave them out, do not write the line that the sender just read. A wait
     * that would not have busy-spun anyway (BUSY_NONE: the quiet spin, a platform thread) changes
     * nothing either, so that the quiet handoffs of ping-pong, which share the channel's line
     * with the peer, write nothing here.
     */
    static int nextBusySpinState(int state, byte busy) {
        int period = busyPeriod(state);
        if (period == 0) {
            int hits = busyHits(state);
            int misses = state & 0xFF;
            if (busy == Waiter.BUSY_HIT) {
                return Math.min(hits + 1, BUSY_HIT_LIMIT) << 8;
            }
            if (busy == Waiter.BUSY_MISS) {
                return misses + 1 < BUSY_MISS_LIMIT ? misses + 1 : busyState(BUSY_RETRY_FIRST);
            }
            return hits >= BUSY_HIT_LIMIT && busy == Waiter.BUSY_LEFT_OUT ? 0 : state; // the queued threads' turn
        }
        if (busy == Waiter.BUSY_HIT) {
            return 0;
        }
        if (busy == Waiter.BUSY_MISS) {
            return busyState(Math.min(period * 2, BUSY_RETRY_MAX));
        }
        return state;
    }

    /** {@return the retry period of a busySpinState whose spins are left out, else 0} */
    private static int busyPeriod(int state) {
        return state >>> BUSY_PERIOD_SHIFT;
    }

    /** {@return the hits in a row of a busySpinState whose spins are not left out} */
    private static int busyHits(int state) {
        return (state >>> 8) & 0xFF;
    }

    /** {@return a busySpinState with busy spins left out, retried about once in {@code period} waits} */
    static int busyState(int period) {
        return period << BUSY_PERIOD_SHIFT;
    }

    /** {@return this channel's busySpinState; for tests} */
    int busySpinState() {
        return busySpinState;
    }

    /** {@return this channel's yield level; for tests} */
    int yieldLevel() {
        return yieldLevel;
    }

    /** {@return how a thread waiting on this channel waits (a select's wait, not adapted)} */
    Waiter.WaitPolicy waitPolicy() {
        return rendezvous ? Waiter.WaitPolicy.HANDOFF : Waiter.WaitPolicy.QUEUE;
    }

    /** {@return the channel's name: the one it was created with, or a generated one} */
    public final String name() {
        String current = name;
        if (current != null) {
            return current;
        }
        String generated = kind() + "-" + SEQUENCE.incrementAndGet();
        String witness = (String) NAME.compareAndExchange(this, null, generated); // cas: one name for good
        return witness != null ? witness : generated;
    }

    /** {@return "rendezvous", "buffered(<capacity>)" or "unbounded"} */
    final String kind() {
        return rendezvous ? "rendezvous" : capacity != 0 ? "buffered(" + capacity + ")" : "unbounded";
    }

    /* ---- segments ---- */

    /**
     * {@return the segment holding {@code ticket}, or the first live one after it if it was
     * removed} A removed segment's cells were all cancelled, so every ticket up to the returned
     * segment's first is dead.
     */
    private Segment locate(int which, Segment start, long ticket) {
        long id = Segment.segmentId(ticket);
        return start.id == id ? start : Segment.findAndMoveForward(this, which, start, id);
    }

    /** Segment.Owner's number of sendSegment. */
    private static final int SEND = 0;

    /** Segment.Owner's number of receiveSegment. */
    private static final int RECEIVE = 1;

    @Override
    final Segment pointer(int which) {
        return which == SEND ? sendSegment : receiveSegment; // lv
    }

    @Override
    final boolean casPointer(int which, Segment expected, Segment to) {
        if (which == SEND) {
            return SEND_SEGMENT.compareAndSet(this, expected, to); // cas
        }
        return RECEIVE_SEGMENT.compareAndSet(this, expected, to); // cas
    }

    /* ---- close ---- */

    /**
     * Closes the cells: gracefully if {@code cause} is {@code null}, else abortively.
     *
     * @return whether this call closed them
     */
    boolean close(Throwable cause) {
        Object reason = cause == null ? Signal.CLOSED : cause;
        if (!CLOSE_REASON.compareAndSet(this, null, reason)) { // cas: one close or fail wins
            awaitClosedStatus();
            return false;
        }
        boolean failed = cause != null;
        closeCells(closeStatus(failed), failed);
        return true;
    }

    /**
     * Step (2) of closing, by the close or fail that won closeReason: publishes closedAt and sets
     * the status bits.
     *
     * @return R as read right after the status bits were set: every cell below it has a receiver
     *     on its way or done
     */
    private long closeStatus(boolean failed) {
        long bits = failed ? CLOSED_BIT | FAILED_BIT : CLOSED_BIT;
        Counters c = counters();
        while (true) {
            long status = c.status();
            c.publishClosedAt(status & COUNT_MASK); // sv: published by the cas below
            if (c.casStatus(status, status | bits)) { // cas: later tickets see it
                long claimed = c.receivers(); // lv R after the cas
                if (failed) {
                    c.publishDiscardsFrom(claimed); // sv: for receivers past it (discardedUnder)
                }
                return claimed;
            }
        }
    }

    /**
     * Step (3) of closing: walks the cells below max(closedAt, {@code claimed}) (see the notes).
     * After a fail, a buffered or unbounded channel discards the elements in cells at or past
     * {@code claimed} and closes the empty ones there under their senders; a rendezvous channel
     * discards none, because its cells hold an element without a waiting sender only where a
     * receiver held the ticket when the sender looked, and that receiver, on its way, takes it (a
     * receiver can take its ticket after claimed was read and before a select's send clause
     * reads R; MixedSoakTest found that loss when plain senders read R too;
     * FailInFlightReceiverTest).
     */
    private void closeCells(long claimed, boolean failed) {
        long end = counters.closedAt(); // lv each; closeStatus allocated the counters
        long limit = Math.max(end, claimed); // covers every receiver that saw "open"
        if (capacity != 0) {
            permits.close(); // wakes the send clauses of selects waiting for a permit
        }
        if (limit == 0) {
            return; // no ticket was ever taken: no cell to close
        }
        boolean discards = failed && !rendezvous;
        Segment sends = sendSegment();
        Segment receives = receiveSegment();
        Segment segment = sends.id <= receives.id ? sends : receives;
        for (; segment != null && segment.firstTicket() < limit; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE; cell++) {
                long ticket = segment.firstTicket() + cell;
                if (ticket >= limit) {
                    break;
                }
                closeCell(segment, cell, ticket >= end, failed, discards && ticket >= claimed);
            }
        }
    }

    /**
     * Closes one cell. {@code discard}: the channel failed and no receiver holds this cell's
     * ticket, so an element in it is dropped, and an empty one is closed under its sender; an
     * element whose receiver took its ticket before the fail is left for that receiver, which is
     * on its way (its send may have returned already).
     */
    private static void closeCell(Segment segment, int cell, boolean pastEnd, boolean failed, boolean discard) {
        while (true) {
            Object state = segment.lvState(cell);
            if (state == null) {
                // Below the end a sender holds the ticket: after a close it comes and buffers its
                // element or waits; after a discarding fail the cell is closed under it, so that
                // it takes a new ticket and throws rather than buffer an element nobody takes.
                if ((!pastEnd && !discard) || segment.casState(cell, null, CellState.CLOSED)) {
                    return;
                }
                continue;
            }
            if (CellReceiver.isWaiting(state)) {
                if (!pastEnd && !failed) {
                    return; // its sender holds the ticket and comes
                }
                if (segment.casState(cell, state, CellState.CLOSED)) { // cas: against the sender and the owner
                    if (state instanceof Thread parked) {
                        LockSupport.unpark(parked);
                    }
                    return;
                }
                continue;
            }
            if (CellSender.isWaiting(state)) {
                if (CellSender.close(segment, cell, state)) {
                    return; // a blocked sender fails; its receiver, if any, takes a new ticket
                }
                continue;
            }
            if (state instanceof PublishedWaiter waiter) {
                if (waiter.sender) {
                    if (!waiter.tryResume(Signal.CLOSED) && discard && waiter.result() == Signal.GRANTED) {
                        if (segment.casState(cell, waiter, CellState.DISCARDED)) {
                            segment.spElement(cell, null); // an admitted element: discarded
                            return;
                        }
                        // Its owner made it BUFFERED meanwhile (discarded next), or it was taken.
                        continue;
                    }
                } else if (pastEnd || failed) {
                    waiter.tryResume(Signal.CLOSED);
                }
                return;
            }
            if (state == CellState.BUFFERED && discard) {
                if (segment.casState(cell, CellState.BUFFERED, CellState.DISCARDED)) { // cas: against the receiver
                    segment.spElement(cell, null);
                    return;
                }
                continue;
            }
            return;
        }
    }

    /**
     * Waits until the close or fail that won the CAS on closeReason has set the status bits, so
     * that a losing close or fail returns only once the channel is seen closed (Lincheck found a
     * losing close() followed by a tryReceive() that saw the channel open). The winner sets them
     * a few instructions after its CAS, without waiting; the wait is for those instructions.
     */
    private void awaitClosedStatus() {
        for (int spins = 0; (status() & CLOSED_BIT) == 0; spins++) { // lv: the winner's cas
            awaitCloserStep(spins);
        }
    }

    /**
     * One step of a wait for the close or fail that won closeReason to take its next step:
     * spins, then yields, since the closer's thread may have lost its CPU between two steps. 64
     * spins, sized, not swept: no benchmark closes a channel while it is measured, and the wait
     * lasts from the winner's CAS on closeReason to its CAS on the status bits (or its read of R
     * after it).
     */
    private static void awaitCloserStep(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /**
     * {@return whether close or fail has begun: its CAS on closeReason, which precedes the status
     * bits} A receive asks this before it reads S, so that while the channel is open it reads
     * only a line that close alone writes, and the senders keep S's line to themselves
     * (benchmarks/RESULTS.md, "No read of S on a receive's common path"). A plain receive on a
     * rendezvous channel that finds its cell empty asks it again, after its ticket, in place of
     * reading S (receiveFromCell).
     */
    private boolean closeStarted() {
        return closeReason != null; // lv
    }

    /** {@return whether the channel is closed, so that every send fails} */
    public final boolean isClosedForSend() {
        return (status() & CLOSED_BIT) != 0;
    }

    /**
     * {@return whether no element will ever be received} Steps the receivers' counter over dead
     * cells; a sender still on its way to a cell below the end is stopped there (its send fails,
     * as it may, since it overlaps the close).
     */
    public final boolean isClosedForReceive() {
        long status = status();
        if ((status & CLOSED_BIT) == 0) {
            return false; // a closed channel has its counters: close allocated them
        }
        if ((status & FAILED_BIT) != 0) {
            return true;
        }
        Counters c = counters;
        long end = c.closedAt();
        while (true) {
            Segment segment = receiveSegment();
            long ticket = c.receivers();
            if (ticket >= end) {
                return true;
            }
            Segment found = locate(RECEIVE, segment, ticket);
            if (found.id != Segment.segmentId(ticket)) {
                c.casReceivers(ticket, found.firstTicket());
                continue;
            }
            if (holdsElement(found, Segment.cellIndex(ticket))) {
                return false;
            }
            c.casReceivers(ticket, ticket + 1); // cas: step over the dead cell
        }
    }

    /**
     * For the cell of R as isClosedForReceive read it, below closedAt: will it deliver an element?
     * A receiver may take that ticket after the read; if it has not reached the cell yet, an empty
     * cell is poisoned under it, and it takes a new ticket (receiveFromCell).
     */
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
            if (CellSender.isWaiting(state)) {
                if (CellSender.close(segment, cell, state)) {
                    return false; // a blocked sender fails
                }
                continue;
            }
            if (state instanceof PublishedWaiter waiter && waiter.sender) {
                // A blocked sender fails; one admitted by a permit holds a buffered element.
                return !waiter.tryResume(Signal.CLOSED) && waiter.result() == Signal.GRANTED;
            }
            return false; // dead, or a receiver took the ticket meanwhile; the caller re-reads R
        }
    }

    /**
     * {@return whether a receive may still return an element of a closed channel} For toString:
     * it reads the cells from R up to closedAt as isClosedForReceive decides them, but writes
     * nothing, so that reading the channel (a debugger shows its toString) settles no send. A
     * cell whose sender is on its way counts as one that may deliver.
     */
    final boolean mayStillDeliver() {
        long status = status();
        if ((status & CLOSED_BIT) == 0) {
            return true;
        }
        if ((status & FAILED_BIT) != 0) {
            return false;
        }
        Counters c = counters; // lv; a closed channel has its counters: close allocated them
        long end = c.closedAt();
        long walked = c.receivers(); // the tickets below it are decided
        Segment segment = Segment.oldest(head, sendSegment, receiveSegment); // lv each
        for (; segment != null && walked < end; segment = segment.next()) {
            long first = segment.firstTicket();
            long last = Math.min(end, first + Segment.SIZE);
            // Tickets from walked to first are in no segment of the list: their segments were
            // removed (every cell dead), or receivers took them after R was read.
            for (long ticket = Math.max(walked, first); ticket < last; ticket++) {
                if (mayDeliver(segment.lvState((int) (ticket - first)))) {
                    return true;
                }
            }
            walked = Math.max(walked, last);
        }
        return walked < end; // a sender on its way has not yet added its segment
    }

    /**
     * For mayStillDeliver: {@return whether a cell at or past R, below closedAt, may give a
     * receiver an element} As holdsElement decides, except that what it would settle counts as may:
     * an empty cell (its sender is on its way), and a sender's waiter that is not settled yet (a
     * release may admit it before the close's walk reaches it). A plain rendezvous sender waiting
     * in its cell does not count: whoever meets it after the close fails it. So once this says no
     * for every cell, it says no ever after: a channel shown closed is not shown closing later.
     */
    private static boolean mayDeliver(Object state) {
        return state == null
                || state == CellState.BUFFERED
                || (state instanceof PublishedWaiter waiter && waiter.sender
                        && (waiter.waits() || waiter.result() == Signal.GRANTED));
    }

    /** {@return the cause given to fail(cause), or {@code null}} */
    Throwable failureCause() {
        return closeReason instanceof Throwable cause ? cause : null;
    }

    /** {@return the exception for an operation that found the channel closed} */
    ChannelClosedException closedException() {
        Throwable cause = failureCause();
        return cause == null ? new ChannelClosedException(name()) : new ChannelClosedException(name(), cause);
    }

    /**
     * {@return the threads blocked in this channel, read from its cells and its permit queue}
     * For toString; racy and without effects (WaitingThreads).
     */
    final WaitingThreads waitingThreads() {
        WaitingThreads waiting = new WaitingThreads();
        Counters c = counters; // lv
        if (c == null) {
            return waiting; // no operation yet: nobody waits
        }
        // lv each: every ticket taken, by senders and by receivers
        long tickets = Math.max(c.status() & COUNT_MASK, c.receivers());
        Segment first = head; // lv, before the pointers (Segment.oldest)
        Segment sends = sendSegment; // lv
        Segment receives = receiveSegment; // lv
        waiting.addCells(Segment.oldest(first, sends, receives), tickets);
        if (capacity != 0) {
            permits.addWaiting(waiting); // set before the counters, which were non-null
        }
        return waiting;
    }

    @Override
    public String toString() {
        Counters c = counters; // lv, before permits, which is set before it
        long status = c == null ? 0L : c.status();
        String state = (status & FAILED_BIT) != 0 ? "failed" : (status & CLOSED_BIT) != 0 ? "closed" : "open";
        String buffer = capacity == 0 ? "" : c == null ? ", permits[capacity=" + capacity + ", unused]"
                : ", " + permits.describe(c);
        return "cells[" + state + ", senders=" + (status & COUNT_MASK) + ", receivers="
                + (c == null ? 0L : c.receivers()) + buffer + "]";
    }

    private static final VarHandle COUNTERS;
    private static final VarHandle PERMITS;
    private static final VarHandle CLOSE_REASON;
    private static final VarHandle SEND_SEGMENT;
    private static final VarHandle RECEIVE_SEGMENT;
    private static final VarHandle HEAD;
    private static final VarHandle NAME;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNTERS = lookup.findVarHandle(CellChannel.class, "counters", Counters.class);
            PERMITS = lookup.findVarHandle(CellChannel.class, "permits", PermitQueue.class);
            CLOSE_REASON = lookup.findVarHandle(CellChannel.class, "closeReason", Object.class);
            SEND_SEGMENT = lookup.findVarHandle(CellChannel.class, "sendSegment", Segment.class);
            RECEIVE_SEGMENT = lookup.findVarHandle(CellChannel.class, "receiveSegment", Segment.class);
            HEAD = lookup.findVarHandle(CellChannel.class, "head", Segment.class);
            NAME = lookup.findVarHandle(CellChannel.class, "name", String.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
