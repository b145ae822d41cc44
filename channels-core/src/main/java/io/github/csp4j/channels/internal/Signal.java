package io.github.csp4j.channels.internal;

/**
 * Results that travel between the parties of an operation: values a {@link Waiter} is resumed
 * with, and step results of the cell algorithms. Elements travel as themselves; a user cannot
 * send one of these because the type is not accessible outside this package.
 */
enum Signal {
    /** To a waiting sender: a receiver took the element from its cell. */
    TAKEN,
    /**
     * To a buffered sender waiting for a buffer slot: a permit was handed over, so its element,
     * already in its cell, now counts as buffered.
     */
    GRANTED,
    /**
     * Set by a buffered sender on its own waiter: it handed its element straight to a waiting
     * receiver and no longer wants a permit.
     */
    WITHDRAWN,
    /** To any waiter, and as a result: the channel is closed (or failed) for this operation. */
    CLOSED,
    /** Result of a wait or a timed operation: the timeout elapsed first; nothing happened. */
    TIMED_OUT,
    /** Result of a wait: the thread was interrupted first; nothing happened. */
    INTERRUPTED,
    /** Result of a non-blocking operation: it could not complete without waiting. */
    WOULD_BLOCK,
    /** Step result: the element was sent (buffered, handed to a receiver, or taken). */
    SENT,
    /** Step result: this cell is dead; take a new ticket and try again. */
    RETRY,
    /**
     * Step result of a plain receive, or a plain rendezvous send: it placed RECEIVER, or SENDER
     * with its element, in its cell; the caller waits there.
     */
    PLACED,
    /** Step result of a select clause: its registration now waits in a cell or the permit queue. */
    REGISTERED,
    /** State of a {@link SelectRound} while its owner places registrations; no peer may settle it. */
    REGISTERING,
    /** Like {@link #REGISTERING}, after a peer was turned away: some registrations must be placed again. */
    REREGISTER,
    /** Settles a {@link SelectRound}: every channel clause is a receive from a closed, drained channel. */
    ALL_CLOSED
}
