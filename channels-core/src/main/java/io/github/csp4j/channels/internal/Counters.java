package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A channel's two ticket counters, on different cache lines: S (tickets taken by senders, with the
 * channel's CLOSED and FAILED bits above it) and R (tickets taken by receivers). A buffered
 * channel's PermitQueue keeps its counters here too, each on the line of the side that writes it
 * per element: beside S the pool of free permits and the count of collections of parked permits,
 * and beside R the permits receivers released (parked until senders collect them) and the count
 * of owed senders that announced themselves (PermitQueue, "Parking" and "Collecting";
 * docs/adr/0011-released-permits-park-beside-r.md). Rendezvous and unbounded channels leave
 * those four at 0. Beside R too, written once by a fail, R as the fail read it
 * (discardsFrom), and written by the close or fail that sets the status bits, S as it read it
 * (closedAt).
 *
 * <p>In the channel object itself both counters shared a line with each other and with the segment
 * pointers, which every operation reads just before its get-and-add: a sender's read pulled the line
 * from the receiver that had just taken a ticket, and its get-and-add then had to take the line
 * over; and each side's get-and-add took the line from the other. Apart, a party that keeps taking
 * tickets keeps its counter's line, and the pointers' line stays shared between the two sides.
 * csp4j alone, before and after, one fork each in two rounds (benchmarks/RESULTS.md, "Counters
 * on cache lines of their own"): rendezvous 1P1C 157-173 to 126-132 ns, buffered 64 4P4C 111-116
 * to 86-89 ns, ping-pong 265-307 to 231-250 ns (the ring's figures moved less than its spread
 * between runs).
 *
 * <p>Only S and R are kept apart (56 bytes of padding between S's line, which the pool shares, and
 * R's): padding before S and after R
 * as well, against hot fields of neighbouring objects, measured the same (within 5 ns and 0.6 ms
 * on the same workloads) for 112 more bytes per channel. The fields sit in a chain of
 * superclasses because HotSpot lays out a superclass's fields before its subclass's, and makes no
 * promise about the order within one class.
 *
 * <p>Two other layouts measured slower (benchmarks/RESULTS.md, "S and R on one line, without the
 * pointers" and "S back in the channel, R apart"): S and R together on a line of their own
 * (rendezvous 1P1C 124 to 155 ns, one round), and S back in the channel, beside the fields
 * receivers read (buffered 64 4P4C 84-88 to 101-108 ns, three rounds). In RingBenchmark's ring of
 * 10,000, S and R without the padding between them, or these counters allocated with the channel
 * instead of on first use, took 1.11 and 1.21 times as long on two carriers (benchmarks/RESULTS.md,
 * "S and R on one line, and the counters beside the channel, in the ring").
 *
 * <p>A channel allocates its counters on its first operation (CellChannel.counters()), as it
 * does its first segment, so that an empty channel stays one small object (ADR 0009).
 */
final class Counters extends CountersR {
    /** @param permits the free permits a buffered channel starts with (its capacity), else 0 */
    Counters(long permits) {
        this.permits = permits; // published with the counters
        this.discardsFrom = -1L; // published with the counters: no fail yet
    }

    /**
     * {@return R as a fail read it right after setting the status bits, from which on its walk
     * discards the buffered elements, or -1 until it has read it} lv.
     */
    long discardsFrom() {
        return discardsFrom;
    }

    /** Publishes {@link #discardsFrom()}, once, by the fail that set the status bits. sv. */
    void publishDiscardsFrom(long claimed) {
        discardsFrom = claimed;
    }

    /** {@return S when the channel closed; meaningful once the CLOSED bit is seen} lv. */
    long closedAt() {
        return closedAt;
    }

    /** Publishes {@link #closedAt()}, by the close or fail that then sets the status bits. sv. */
    void publishClosedAt(long senders) {
        closedAt = senders;
    }

    /** {@return S and the status bits} lv. */
    long status() {
        return sendersAndStatus;
    }

    /** {@return whether a close or fail set the status bits: every send fails from then on} lv. */
    boolean closedForSend() {
        return (sendersAndStatus & CellChannel.CLOSED_BIT) != 0;
    }

    /** {@return the value before adding 1 to S: the sender's ticket and the status bits} xadd. */
    long takeSendTicket() {
        return (long) SENDERS_AND_STATUS.getAndAdd(this, 1L);
    }

    /** cas on S and the status bits. */
    boolean casStatus(long expected, long value) {
        return SENDERS_AND_STATUS.compareAndSet(this, expected, value);
    }

    /** {@return R} lv. */
    long receivers() {
        return receivers;
    }

    /** {@return R before adding 1 to it: the receiver's ticket} xadd. */
    long takeReceiveTicket() {
        return (long) RECEIVERS.getAndAdd(this, 1L);
    }

    /** cas on R. */
    boolean casReceivers(long expected, long value) {
        return RECEIVERS.compareAndSet(this, expected, value);
    }

    /** {@return a buffered channel's free permits minus the senders owed one} lv. */
    long permits() {
        return permits;
    }

    /** {@return the free permits minus the owed senders before adding {@code delta}} xadd. */
    long addPermits(long delta) {
        return (long) PERMITS.getAndAdd(this, delta);
    }

    /** cas on the permits. */
    boolean casPermits(long expected, long value) {
        return PERMITS.compareAndSet(this, expected, value);
    }

    /** {@return the permits receivers released and no sender collected yet} lv. */
    long parkedReleases() {
        return parkedReleases;
    }

    /** Parks one released permit. xadd. */
    void addParkedRelease() {
        PARKED_RELEASES.getAndAdd(this, 1L);
    }

    /** {@return the parked permits, which are now the caller's} getAndSet. */
    long takeParkedReleases() {
        return (long) PARKED_RELEASES.getAndSet(this, 0L);
    }

    /** {@return the senders that announced they are owed a permit and are not yet admitted or gone} lv. */
    long permitWaiters() {
        return permitWaiters;
    }

    /** Adds {@code delta} to the owed senders' count. xadd. */
    void addPermitWaiters(long delta) {
        PERMIT_WAITERS.getAndAdd(this, delta);
    }

    /**
     * {@return the collections of parked permits: started ones counted from bit 32 up, unfinished
     * ones below} lv.
     */
    long collections() {
        return collections;
    }

    /** A collection of parked permits starts. xadd. */
    void startCollection() {
        COLLECTIONS.getAndAdd(this, COLLECTION_STARTED + 1L);
    }

    /** A collection of parked permits has put them in the pool. xadd. */
    void endCollection() {
        COLLECTIONS.getAndAdd(this, -1L);
    }

    /** One started collection, in {@link #collections}: a count above the in-flight ones. */
    static final long COLLECTION_STARTED = 1L << 32;

    /** The collections in flight, in {@link #collections}. */
    static final long COLLECTIONS_IN_FLIGHT = COLLECTION_STARTED - 1;

    private static final VarHandle SENDERS_AND_STATUS;
    private static final VarHandle RECEIVERS;
    private static final VarHandle PERMITS;
    private static final VarHandle PARKED_RELEASES;
    private static final VarHandle PERMIT_WAITERS;
    private static final VarHandle COLLECTIONS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SENDERS_AND_STATUS = lookup.findVarHandle(CountersS.class, "sendersAndStatus", long.class);
            RECEIVERS = lookup.findVarHandle(CountersR.class, "receivers", long.class);
            PERMITS = lookup.findVarHandle(CountersS.class, "permits", long.class);
            PARKED_RELEASES = lookup.findVarHandle(CountersR.class, "parkedReleases", long.class);
            PERMIT_WAITERS = lookup.findVarHandle(CountersR.class, "permitWaiters", long.class);
            COLLECTIONS = lookup.findVarHandle(CountersS.class, "collections", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}

/** S: tickets taken by senders in the low bits; the CLOSED and FAILED bits. xadd/cas; lv. */
abstract class CountersS {
    volatile long sendersAndStatus;

    /** A buffered channel's free permits minus the senders owed one (PermitQueue). xadd/cas; lv. */
    volatile long permits;

    /**
     * Collections of parked permits: started ones counted from bit 32 up, unfinished ones below,
     * so that a trySend can tell that none took parked permits it did not see in the pool yet
     * (PermitQueue, "Collecting"). Beside the pool, which every collection writes too. xadd; lv.
     */
    volatile long collections;
}

/** 56 bytes between S and R. */
abstract class CountersPadBetween extends CountersS {
    long p11, p12, p13, p14, p15, p16, p17;
}

/**
 * R: tickets taken by receivers. xadd/cas; lv. Beside it, for a buffered channel's PermitQueue,
 * the permits receivers released and parked, and the count of owed senders that announced
 * themselves (both on the receivers' line, which a receive writes anyway).
 */
abstract class CountersR extends CountersPadBetween {
    volatile long receivers;

    /** Released permits no sender collected yet. xadd/getAndSet; lv. */
    volatile long parkedReleases;

    /** Senders that announced they are owed a permit, until admitted or gone. xadd; lv. */
    volatile long permitWaiters;

    /**
     * R as a fail read it, or -1 (Counters.discardsFrom). Written once; read by receivers only
     * after a fail began. sv; lv.
     */
    volatile long discardsFrom;

    /**
     * S when the channel closed (CellChannel, "Closing"): written by the close or fail that won
     * closeReason, before the CAS that sets the status bits; read only after that bit is seen.
     * Here and not in the channel, so that an empty channel stays 56 bytes with a buffered one's
     * capacity in it. sv; lv.
     */
    volatile long closedAt;
}
