package io.github.csp4j.channels.internal;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The threads blocked in one channel, found by reading its cells, for the channel's
 * {@code toString}: who waits for whom when a program blocks (README, "When a program blocks";
 * docs/adr/0015-who-waits-is-read-from-the-cells.md).
 */
final class WaitingThreads {
    /*
     * Implementation notes
     *
     * What is read. A blocked party leaves its thread in the cell its ticket named: a plain
     * receiver the Thread itself, a plain rendezvous sender a ParkedSender, an owed sender and a
     * select's registration a Waiter whose owner is the thread (CellChannel's cell states). An
     * owed sender also waits in a cell of the channel's PermitQueue, and a select's send clause
     * on a buffered channel waits only there. A plain party that is still spinning or yielding
     * (RECEIVER, SENDER) has not named its thread yet and is not listed: a thread that stays
     * blocked names itself before it parks. A Waiter is listed from the moment it is placed.
     *
     * Races. Nothing is locked and nothing written: each cell is read once (lv), so the result is
     * no snapshot of one moment. A thread listed may have been resumed, and one that began to
     * wait during the walk may be missing. A thread blocked for as long as the walk takes is
     * listed; that is what a reader of a blocked program needs.
     *
     * Cost. Only toString pays: the walk reads every cell from the older of the channel's two
     * segment pointers (the first segment, while one of them is unset: Segment.oldest) up to its
     * newest ticket, so it takes time in proportion to the elements buffered and the parties
     * waiting. The operations write nothing for it.
     */

    /** In the order found, each once (a select may wait in one channel with several clauses). */
    private final Set<Thread> senders = new LinkedHashSet<>();

    private final Set<Thread> receivers = new LinkedHashSet<>();

    /**
     * Adds the parties waiting in the cells of {@code from} and the segments after it whose tickets
     * are below {@code end}.
     *
     * @param from the oldest segment to read, or null for none
     */
    void addCells(Segment from, long end) {
        for (Segment segment = from; segment != null && segment.firstTicket() < end; segment = segment.next()) {
            for (int cell = 0; cell < Segment.SIZE && segment.firstTicket() + cell < end; cell++) {
                add(segment.lvState(cell));
            }
        }
    }

    private void add(Object state) {
        if (state instanceof Thread receiver) {
            receivers.add(receiver);
        } else if (state instanceof CellSender.ParkedSender parked) {
            senders.add(parked.thread());
        } else if (state instanceof PublishedWaiter waiter && waiter.waits()) {
            (waiter.sender ? senders : receivers).add(waiter.owner());
        }
    }

    /**
     * {@return {@code ", senders waiting [..]"} and {@code ", receivers waiting [..]"} for each
     * side where a thread waits, else nothing} Each thread is shown by name and id, as a thread
     * dump shows it (ThreadLabels), up to eight per side, then how many more.
     */
    String describe() {
        return side(", senders waiting ", senders) + side(", receivers waiting ", receivers);
    }

    private static String side(String label, Set<Thread> threads) {
        return threads.isEmpty() ? "" : label + ThreadLabels.list(threads);
    }
}
