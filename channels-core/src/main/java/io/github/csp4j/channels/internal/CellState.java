package io.github.csp4j.channels.internal;

/**
 * The states a cell of a {@link Segment} can be in, besides empty ({@code null}), holding a
 * {@link Waiter}, the {@link Thread} of a parked plain receiver ({@link CellReceiver}), and the
 * {@link CellSender.ParkedSender} of a parked plain rendezvous sender.
 * A state names what happened in the cell; its transitions are drawn in the implementation notes
 * of {@link CellChannel} and {@link PermitQueue}.
 */
enum CellState {
    /** The cell's element is stored in it and waits for the receiver with this cell's ticket. */
    BUFFERED,
    /**
     * A sender and a receiver met in this cell; it is finished. A sender that hands its element to
     * a receiver waiting here (RECEIVER or its thread) leaves the element in the cell's slot for
     * that receiver, which clears it.
     */
    DONE,
    /**
     * A plain receiver waits in this cell and has not parked (it spins or yields); once it may
     * park, its {@link Thread} takes this state's place ({@link CellReceiver}).
     */
    RECEIVER,
    /**
     * A plain rendezvous sender waits in this cell with its element in the slot and has not parked
     * (it spins or yields); once it may park, a {@link CellSender.ParkedSender} takes this state's
     * place.
     */
    SENDER,
    /**
     * The receiver arrived while the sender holding the same ticket was still on its way, and
     * broke the cell rather than wait for it (a buffered channel's receiver, a select's receive
     * clause or tryReceive; a plain receiver on an open rendezvous channel waits there instead),
     * or found the cell empty below closedAt after a fail; both retry with new tickets. Also
     * isClosedForReceive, after a close, at the empty cell of R as it read it: a receiver that
     * took that ticket since finds the cell dead and retries too.
     */
    POISONED,
    /** The sender of this cell left without its element being taken (timeout, interrupt, close). */
    SEND_CANCELLED,
    /** The receiver (or permit acquirer) of this cell left before anything arrived. */
    RECEIVE_CANCELLED,
    /**
     * No sender will ever use this cell: the channel was closed below it; or a fail() that
     * discards closed it under a sender on its way, which takes a new ticket and sees the failure.
     */
    CLOSED,
    /** The element buffered here was discarded by {@code fail(cause)}. */
    DISCARDED,
    /** {@link PermitQueue} only: a release left its permit here for the acquirer on its way. */
    PERMIT
}
