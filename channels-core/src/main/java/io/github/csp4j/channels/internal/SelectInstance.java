package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.ChannelClosedException;
import io.github.csp4j.channels.ReceiveChannel;
import io.github.csp4j.channels.SendChannel;
import io.github.csp4j.channels.spi.Selection;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The select engine: the owner's side of a select. Polls clauses, registers them in a
 * {@link SelectRound}, waits, and removes the registrations that did not complete.
 */
final class SelectInstance implements Selection {
    /*
     * Implementation notes
     *
     * Overview. A select first polls its clauses with the channels' try operations, which take a
     * ticket only when the other side holds one and so leave nothing behind. If none completes,
     * it waits as Kotlin's and jox's selects do: one registration per clause, placed in a cell of
     * the channel (or, for a send to a full buffered channel, in its permit queue) like a blocked
     * receiver or sender, all settling one shared SelectRound by CAS. See SelectRound for the
     * state machine and the registration phase.
     *
     * Differences from Kotlin and jox.
     *  - A send clause on a buffered channel waits for a permit, not in a data cell: granted, the
     *    owner then sends as an admitted sender, which never waits. Plain senders wait in their
     *    cell (docs/adr/0002-buffer-as-permits.md); a select cannot, as a receiver that takes its
     *    element must first win the round.
     *  - A plain receive clause on a channel that closes is skipped, not completed; the round is
     *    settled with ALL_CLOSED when every channel clause is skipped.
     *  - A select that both sends to and receives from one rendezvous channel is rejected: its
     *    two registrations would take tickets in step and each turn the other's cell away.
     *
     * Cleanup. After the round is settled, every registration but the winner's is removed as a
     * timed-out waiter leaves its cell (CellChannel.cancelRegistration), so a select that loses
     * on an idle channel leaves no garbage there. A winner settled by a closure is removed too.
     *
     * Interrupts and timeouts: SelectRound is a Waiter, so Waiter.await decides the race between
     * a peer and the owner's interrupt or deadline with one CAS; if a peer won, the clause
     * completed and the interrupt status stays set.
     *
     * Layouts. A wait that was slow (Waiter.slow: it found threads queued or went to park) tells
     * the segment of every data cell the round was registered in, losers' included, as a plain wait
     * tells its own: a rendezvous channel then packs the segment it appends next (Segment's
     * "Layouts").
     */

    /**
     * The first length of the four per-clause arrays below, indexed by the clause's number, which
     * double together when full. 4 holds SelectBenchmark's two-clause selects without growing; 2
     * and 8 moved its three workloads within their spread, where only the selects that wait build
     * an instance (those whose first poll, QuickPoll, completed nothing; benchmarks/RESULTS.md,
     * "The cell layout and a select's first capacity").
     */
    private static final int FIRST_CAPACITY = 4;

    private CellChannel<?>[] channels = new CellChannel<?>[FIRST_CAPACITY];

    /** Per clause: the element of a send clause, or {@code null} for a receive clause. */
    private Object[] elements = new Object[FIRST_CAPACITY];

    private boolean[] closedAware = new boolean[FIRST_CAPACITY];

    /** Per clause: a receive whose channel was found closed and drained in this select. */
    private boolean[] skipped = new boolean[FIRST_CAPACITY];

    private int size;

    private Object received;

    private ChannelClosedException closure;

    @Override
    public int addReceive(ReceiveChannel<?> channel, boolean closedAware) {
        CellChannel<?> cells = cellsOf(channel);
        checkNotBothWays(cells, true);
        return add(cells, null, closedAware);
    }

    @Override
    public int addSend(SendChannel<?> channel, Object element) {
        CellChannel<?> cells = cellsOf(channel);
        Objects.requireNonNull(element, "element");
        checkNotBothWays(cells, false);
        return add(cells, element, false);
    }

    private static CellChannel<?> cellsOf(Object channel) {
        Objects.requireNonNull(channel, "channel");
        if (!(channel instanceof DefaultChannel<?> defaultChannel)) {
            throw new IllegalArgumentException("not a csp4j channel: " + channel.getClass().getName()
                    + "; select works on channels made by the Channel factories");
        }
        return defaultChannel;
    }

    private void checkNotBothWays(CellChannel<?> cells, boolean receive) {
        if (!cells.isRendezvous()) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (channels[i] == cells && (elements[i] == null) != receive) {
                throw new IllegalArgumentException("a select cannot both send to and receive from rendezvous channel '"
                        + cells.name() + "': it would have to meet itself");
            }
        }
    }

    private int add(CellChannel<?> cells, Object element, boolean aware) {
        if (size == channels.length) {
            int capacity = size * 2;
            channels = Arrays.copyOf(channels, capacity);
            elements = Arrays.copyOf(elements, capacity);
            closedAware = Arrays.copyOf(closedAware, capacity);
            skipped = Arrays.copyOf(skipped, capacity);
        }
        channels[size] = cells;
        elements[size] = element;
        closedAware[size] = aware;
        return size++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String channelName(int clause) {
        return channels[Objects.checkIndex(clause, size)].name();
    }

    @Override
    public void begin() {
        Arrays.fill(skipped, false);
        received = null;
        closure = null;
    }

    /* ---- without waiting ---- */

    @Override
    public boolean poll(int clause) {
        CellChannel<?> cells = channels[clause];
        Object element = elements[clause];
        if (element != null) {
            try {
                return trySend(cells, element);
            } catch (ChannelClosedException e) {
                closure = e;
                return true;
            }
        }
        if (skipped[clause]) {
            return false;
        }
        Object result = cells.tryReceiveNow();
        if (result == Signal.WOULD_BLOCK) {
            return false;
        }
        if (result == Signal.CLOSED) {
            return receiveClosed(clause);
        }
        received = result;
        return true;
    }

    @SuppressWarnings("unchecked")
    private static boolean trySend(CellChannel<?> cells, Object element) {
        return ((CellChannel<Object>) cells).trySendNow(element);
    }

    /** A receive clause found its channel closed: completes it, or skips it. */
    private boolean receiveClosed(int clause) {
        CellChannel<?> cells = channels[clause];
        if (closedAware[clause] || cells.failureCause() != null) {
            closure = cells.closedException();
            return true;
        }
        skipped[clause] = true;
        return false;
    }

    @Override
    public boolean allClosed() {
        for (int i = 0; i < size; i++) {
            if (!skipped[i]) {
                return false;
            }
        }
        return size > 0;
    }

    /* ---- waiting ---- */

    @Override
    public int await(int[] order, long deadline) throws InterruptedException {
        SelectRound round = new SelectRound(Arrays.copyOf(skipped, size), this);
        SelectRound.Registration[] registrations = new SelectRound.Registration[size];
        Waiter.WaitPolicy policy = Waiter.WaitPolicy.QUEUE;
        for (int clause : order) {
            if (channels[clause].waitPolicy() == Waiter.WaitPolicy.HANDOFF) {
                policy = Waiter.WaitPolicy.HANDOFF; // a handoff's policy if any clause waits for one
            }
            if (!round.isSkipped(clause) && register(round, registrations, clause)) {
                return clause;
            }
        }
        while (!round.startWaiting()) {
            for (int clause : order) {
                SelectRound.Registration refused = registrations[clause];
                if (refused == null || !refused.takeRefusal()) {
                    continue;
                }
                registrations[clause] = null;
                channels[clause].cancelRegistration(refused);
                if (!round.isSkipped(clause) && register(round, registrations, clause)) {
                    return clause;
                }
            }
        }
        Object outcome;
        try {
            outcome = round.await(deadline, policy, round);
            if (round.slow()) { // the segments appended after these are packed (Segment, "Layouts")
                for (SelectRound.Registration registration : registrations) {
                    // a stored registration waits in a data cell or, inPermits, in the permit queue
                    if (registration != null && !registration.inPermits) {
                        registration.segment.noteSlowWait();
                    }
                }
            }
        } catch (Throwable failure) { // see CellChannel, "An Error in a wait"
            if (round.tryCancel(Signal.INTERRUPTED)) {
                removeAll(registrations, null);
                throw failure;
            }
            outcome = round.result(); // settled first: that outcome stands
        }
        return settled(outcome, registrations);
    }

    /**
     * Places a registration for {@code clause}, or completes the clause at once.
     *
     * @return whether the clause completed (the round is then settled and cleaned up)
     */
    private boolean register(SelectRound round, SelectRound.Registration[] registrations, int clause) {
        CellChannel<?> cells = channels[clause];
        Object element = elements[clause];
        boolean send = element != null;
        SelectRound.Registration registration =
                new SelectRound.Registration(round, clause, send, closedAware[clause], cells);
        if (send) {
            Signal result;
            try {
                result = sendOrRegister(cells, element, registration);
            } catch (ChannelClosedException e) {
                return completeWhileRegistering(round, registrations, e);
            }
            if (result == Signal.SENT) {
                return completeWhileRegistering(round, registrations, null);
            }
            registrations[clause] = registration;
            if (cells.isClosedForSend()) { // close() may have walked past it before it was placed
                return completeWhileRegistering(round, registrations, cells.closedException());
            }
            return false;
        }
        Object result = cells.receiveOrRegister(registration);
        if (result == Signal.REGISTERED) {
            registrations[clause] = registration;
            return false;
        }
        if (result == Signal.CLOSED) {
            if (closedAware[clause] || cells.failureCause() != null) {
                return completeWhileRegistering(round, registrations, cells.closedException());
            }
            round.skip(clause);
            return false;
        }
        received = result;
        return completeWhileRegistering(round, registrations, null);
    }

    @SuppressWarnings("unchecked")
    private static Signal sendOrRegister(CellChannel<?> cells, Object element, SelectRound.Registration registration) {
        return ((CellChannel<Object>) cells).sendOrRegister(element, registration);
    }

    private boolean completeWhileRegistering(
            SelectRound round, SelectRound.Registration[] registrations, ChannelClosedException closed) {
        round.settleWhileRegistering(Signal.SENT);
        closure = closed;
        removeAll(registrations, null);
        return true;
    }

    /** Turns the value that settled the round into the result of {@link #await}. */
    private int settled(Object outcome, SelectRound.Registration[] registrations) throws InterruptedException {
        if (outcome instanceof SelectRound.Registration winner) {
            removeAll(registrations, winner);
            int clause = winner.clause;
            if (!winner.sender) {
                received = winner.element;
            } else if (winner.inPermits) {
                completeGrantedSend(clause);
            }
            return clause;
        }
        removeAll(registrations, null);
        if (outcome instanceof SelectRound.Closure closed) {
            closure = closed.registration().channel.closedException();
            return closed.registration().clause;
        }
        if (outcome == Signal.INTERRUPTED) {
            throw new InterruptedException();
        }
        if (outcome == Signal.TIMED_OUT) {
            return TIMED_OUT;
        }
        if (outcome == Signal.ALL_CLOSED) {
            return ALL_CLOSED;
        }
        throw new IllegalStateException("unexpected outcome " + outcome + " of a select");
    }

    /** A send clause granted a buffer slot places its element, as an admitted sender. */
    @SuppressWarnings("unchecked")
    private void completeGrantedSend(int clause) {
        try {
            ((CellChannel<Object>) channels[clause]).sendGranted(elements[clause]);
        } catch (ChannelClosedException e) {
            closure = e; // closed after the grant: the element was not accepted
        }
    }

    private void removeAll(SelectRound.Registration[] registrations, SelectRound.Registration winner) {
        for (int clause = 0; clause < registrations.length; clause++) {
            SelectRound.Registration registration = registrations[clause];
            if (registration != null && registration != winner) {
                channels[clause].cancelRegistration(registration);
            }
            registrations[clause] = null;
        }
    }

    @Override
    public Object received() {
        Object element = received;
        received = null; // a Selector's instance lives on: it keeps no element after its select
        return element;
    }

    @Override
    public ChannelClosedException closure() {
        return closure;
    }

    /**
     * {@return the clauses, {@code "Selection[receive from jobs, send to results]"}} Also read by
     * other threads, through the park blocker of a thread waiting in this selection
     * ({@link SelectRound#toString}): the fields are read once each, and a clause the arrays do not
     * hold yet is left out, so a read racing with the owner may show a stale list, but never fails.
     */
    @Override
    public String toString() {
        CellChannel<?>[] clauses = channels;
        Object[] sent = elements;
        int count = Math.min(size, Math.min(clauses.length, sent.length));
        StringJoiner text = new StringJoiner(", ", "Selection[", "]");
        for (int i = 0; i < count; i++) {
            CellChannel<?> channel = clauses[i];
            if (channel != null) {
                text.add((sent[i] != null ? "send to " : "receive from ") + channel.name());
            }
        }
        return text.toString();
    }
}
