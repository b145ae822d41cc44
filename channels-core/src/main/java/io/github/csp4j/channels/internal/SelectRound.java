package io.github.csp4j.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One wait of a select: the {@link Waiter} its thread parks on, settled by whichever clause
 * completes first. Each clause waits in its channel through a {@link Registration}, a Waiter in a
 * cell (or in a buffered channel's permit queue) whose {@link Registration#tryResume} tries to
 * settle this round rather than itself. The round is also the thread's park blocker, which
 * {@link java.util.concurrent.locks.LockSupport#getBlocker} returns: its {@code toString()}
 * lists the select's clauses, and no method of it is reachable outside this package.
 */
final class SelectRound extends PublishedWaiter {
    /*
     * Implementation notes
     *
     * State machine of result (the PublishedWaiter's, one per round):
     *
     *     REGISTERING --a peer is turned away--> REREGISTER --owner--> REGISTERING
     *     REGISTERING --owner, every registration placed--> null (waiting)
     *     REGISTERING or REREGISTER --owner completed a clause itself--> SENT
     *     null --a peer completes registration r--> r
     *     null --the channel of r closes, and r fires or throws for it--> Closure(r)
     *     null --the last live receive clause's channel closes--> ALL_CLOSED
     *     null --the owner's deadline or interrupt--> TIMED_OUT or INTERRUPTED
     *
     * Why peers are turned away while the owner registers: placing a registration may complete
     * its clause at once (an element is buffered, a peer waits), and then the owner must be the
     * only one that can settle the round, or two clauses could complete. A peer that meets a
     * registration in this phase treats it like a cancelled waiter and takes a new ticket; the
     * owner sees REREGISTER when it tries to start waiting, and places those clauses again with
     * new tickets (as Kotlin's and jox's selects do). Turning away takes two steps, a CAS on the
     * registration's refusal (LIVE -> REFUSED) and then the CAS of result to REREGISTER; the owner
     * takes each refusal it finds with a CAS (REFUSED -> REPLACED) before it removes the
     * registration. If the owner started waiting between the peer's two steps, the peer retracts
     * its refusal (REFUSED -> LIVE) and may complete the registration; if the owner took the
     * refusal first, the retraction fails and the peer moves on. So the owner never removes a
     * registration that a peer then completes (SelectExactlyOnceTest found that: a receiver took
     * a removed send registration's cleared element). A select never meets itself: its own thread
     * is turned away without REREGISTER. Only the owner's own permit releases can reach its own
     * registration: one after an admitted send or after the receive of a buffered element, both of
     * which complete the select anyway, or one of permits the owner collects while it places a
     * later send clause on the same buffered channel (PermitQueue, "Parking"). That release treats the registration like a sender that left and
     * undoes its debt, so the permit goes back to the pool, where the owner's later clause takes
     * it or waits behind it; the registration it passed stays placed, never served, until the
     * select ends and removes it.
     *
     * The value of a completed registration travels in the registration: a sender writes the
     * element into it before the CAS that settles the round, and it is the only party that can
     * complete a receive registration. Closure needs an object of its own (Closure), as the
     * closer races with that peer.
     *
     * Closed channels. A plain receive clause whose channel closes and is drained is skipped:
     * `live` counts the channel clauses not skipped, and the closer that skips the last one settles
     * the round with ALL_CLOSED. `skipped` is set by CAS once per clause, as the closer and the
     * owner (whose registration may find the channel closed) can both find the same clause closed.
     * If `live` reaches 0 while the owner registers, the owner sees it after it starts waiting
     * (live is decremented before the closer reads result; the owner writes result before it reads
     * live).
     *
     * Memory ordering. Everything a peer did before completing a registration (the element, the
     * cell) happens-before the owner's return from await, through the CAS on result.
     */

    /** Channel clauses that may still complete: not skipped as closed. xadd; lv. */
    private volatile int live;

    /** Per clause: skipped as closed. cas once. */
    private final boolean[] skipped;

    /** The selection that waits: what toString() shows. */
    private final SelectInstance selection;

    /**
     * A new round in state REGISTERING, owned by the current thread.
     *
     * @param skipped the clauses skipped already: a copy for this round, which keeps it; the
     *     caller neither reads nor writes it afterwards
     * @param selection the selection that waits
     */
    SelectRound(boolean[] skipped, SelectInstance selection) {
        super(false, Signal.REGISTERING);
        this.skipped = skipped;
        this.selection = selection;
        int count = 0;
        for (boolean skip : skipped) {
            count += skip ? 0 : 1;
        }
        this.live = count; // published with the round
    }

    /** {@return whether {@code clause} was skipped as closed} */
    boolean isSkipped(int clause) {
        return (boolean) SKIPPED.getVolatile(skipped, clause);
    }

    /**
     * Skips {@code clause}, a plain receive whose channel is closed and drained, once; the skip of
     * the last live clause settles a waiting round with {@link Signal#ALL_CLOSED}.
     */
    void skip(int clause) {
        if (SKIPPED.compareAndSet(skipped, clause, false, true) // cas: once per clause
                && (int) LIVE_CLAUSES.getAndAdd(this, -1) == 1) { // xadd
            tryResume(Signal.ALL_CLOSED); // fails while the owner registers: it checks live then
        }
    }

    /**
     * A peer completes registration {@code r} with {@code decision} ({@code r} itself, or a
     * {@link Closure}).
     *
     * @return whether the round is settled by it; if not, the peer must treat {@code r} as gone
     */
    boolean trySelect(Registration r, Object decision) {
        boolean refusing = false;
        while (true) {
            Object state = result();
            if (state == null) {
                if (refusing && !r.retractRefusal()) {
                    return false; // the owner took the refusal and replaced r
                }
                refusing = false;
                if (tryResume(decision)) { // cas: settles the round, then unparks the owner
                    return true;
                }
                continue;
            }
            if (state != Signal.REGISTERING && state != Signal.REREGISTER) {
                return false; // settled already
            }
            if (Thread.currentThread() == owner()) {
                return false; // a select never meets itself
            }
            if (!refusing && !r.refuse()) {
                return false; // turned away already, by another caller
            }
            refusing = true;
            if (casResult(state, Signal.REREGISTER)) { // cas, also from REREGISTER: the owner rescans
                return false;
            }
        }
    }

    /**
     * Settles the round by its owner during registration, which only the owner can do then.
     *
     * @param decision a {@link Registration}, a {@link Closure} or {@link Signal#SENT}
     */
    void settleWhileRegistering(Object decision) {
        while (!casResult(Signal.REGISTERING, decision) && !casResult(Signal.REREGISTER, decision)) {
            Thread.onSpinWait(); // a peer moved REGISTERING to REREGISTER meanwhile: at most once more
        }
    }

    /**
     * Ends a registration pass by the owner.
     *
     * @return {@code true} if the round now waits (if every clause was skipped meanwhile, it is
     *     settled with {@link Signal#ALL_CLOSED}); {@code false} if peers were turned away and
     *     the refused registrations must be placed again
     */
    boolean startWaiting() {
        while (true) {
            if (casResult(Signal.REGISTERING, null)) { // cas: peers may settle the round from now on
                if (live == 0) { // lv after the cas: see skip()
                    tryResume(Signal.ALL_CLOSED);
                }
                return true;
            }
            if (casResult(Signal.REREGISTER, Signal.REGISTERING)) { // cas: then read refused flags
                return false;
            }
        }
    }

    /**
     * {@return the select's clauses, as its selection shows them} What a thread dump's reader gets
     * from {@link java.util.concurrent.locks.LockSupport#getBlocker} for a thread parked here.
     */
    @Override
    public String toString() {
        return selection.toString();
    }

    /** A select clause's stake in one channel: a cell or a permit-queue slot it waits in. */
    static final class Registration extends PermitWaiter {
        final SelectRound round;
        final int clause;

        /** For a receive clause: fire with a closed result rather than be skipped. */
        final boolean closedAware;

        /** The channel, for its failure cause when it closes. */
        final CellChannel<?> channel;

        /**
         * LIVE, then REFUSED by a peer turned away while the owner registers, then REPLACED when
         * the owner takes that refusal (or LIVE again if the peer retracts it first). cas.
         */
        private volatile int refusal;

        /** For a receive: the element a sender completed it with. Written before the settling cas. */
        Object element;

        /**
         * Whether it waits in the permit queue rather than in a data cell; either way, its {@link
         * #segment} and {@link #cell} say where. Owner only.
         */
        boolean inPermits;

        Registration(SelectRound round, int clause, boolean sender, boolean closedAware, CellChannel<?> channel) {
            super(sender);
            this.round = round;
            this.clause = clause;
            this.closedAware = closedAware;
            this.channel = channel;
        }

        /**
         * Called by a peer with the element (for a receive clause), {@link Signal#TAKEN} (a
         * receiver took this send clause's element from its cell), {@link Signal#GRANTED} (a
         * buffered send clause got a permit) or {@link Signal#CLOSED}.
         */
        @Override
        boolean tryResume(Object value) {
            if (value == Signal.CLOSED) {
                if (!sender && !closedAware && channel.failureCause() == null) {
                    round.skip(clause);
                    return true; // nothing to deliver: the closer treats this cell as done
                }
                return round.trySelect(this, new Closure(this));
            }
            if (!sender) {
                element = value; // published by the cas in trySelect
            }
            return round.trySelect(this, this);
        }

        /** A peer marks this registration as turned away; fails if another caller did. */
        boolean refuse() {
            return REFUSAL.compareAndSet(this, LIVE, REFUSED); // cas: against the owner's take
        }

        /** The peer withdraws its refusal, as the round started waiting; fails if the owner took it. */
        boolean retractRefusal() {
            return REFUSAL.compareAndSet(this, REFUSED, LIVE); // cas: against takeRefusal
        }

        /**
         * The owner takes a refusal: from now on no peer completes this registration, and the
         * owner removes it and places its clause again.
         *
         * @return whether this registration was refused
         */
        boolean takeRefusal() {
            return REFUSAL.compareAndSet(this, REFUSED, REPLACED); // cas: against retractRefusal
        }

        /** Never {@link Signal#GRANTED}: a registration never waits in a data cell for a permit. */
        @Override
        Object result() {
            return null;
        }

        /**
         * A registration waits while its round is not settled (its owner may still be placing
         * other clauses), its owner has not replaced it after a refusal, and its clause was not
         * skipped as closed (the round then waits on its other channels only).
         */
        @Override
        boolean waits() {
            Object state = round.result(); // lv
            boolean unsettled = state == null || state == Signal.REGISTERING || state == Signal.REREGISTER;
            return unsettled && refusal != REPLACED && !round.isSkipped(clause); // lv each
        }

        @Override
        public String toString() {
            Object state = round.result();
            String how = state == null ? "waiting" : state == this ? "won" : state instanceof Registration other
                    ? "clause " + other.clause + " won" : state.toString();
            return "Registration[clause " + clause + (sender ? ", send" : ", receive") + ", " + owner() + ", round " + how + "]";
        }
    }

    /** Settles a round: the channel of {@link #registration} closed or failed while it waited. */
    record Closure(Registration registration) {}

    /** Registration.refusal values. */
    private static final int LIVE = 0;
    private static final int REFUSED = 1;
    private static final int REPLACED = 2;

    private static final VarHandle LIVE_CLAUSES;
    private static final VarHandle REFUSAL;
    private static final VarHandle SKIPPED = MethodHandles.arrayElementVarHandle(boolean[].class);

    static {
        try {
            LIVE_CLAUSES = MethodHandles.lookup().findVarHandle(SelectRound.class, "live", int.class);
            REFUSAL = MethodHandles.lookup().findVarHandle(Registration.class, "refusal", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
