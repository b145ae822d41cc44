package io.github.csp4j.channels.testing;

import io.github.csp4j.channels.Channel;

/** Every kind of channel the contract suites run against. */
public enum ChannelKind {
    RENDEZVOUS(0),
    BUFFERED_1(1),
    BUFFERED_2(2),
    BUFFERED_16(16),
    BUFFERED_1024(1024),
    UNBOUNDED(Integer.MAX_VALUE);

    private final int capacity;

    ChannelKind(int capacity) {
        this.capacity = capacity;
    }

    /** {@return a new channel of this kind with a generated name} */
    public <E> Channel<E> create() {
        return switch (this) {
            case RENDEZVOUS -> Channel.rendezvous();
            case UNBOUNDED -> Channel.unbounded();
            default -> Channel.buffered(capacity);
        };
    }

    /** {@return a new channel of this kind named {@code name}} */
    public <E> Channel<E> create(String name) {
        return switch (this) {
            case RENDEZVOUS -> Channel.rendezvous(name);
            case UNBOUNDED -> Channel.unbounded(name);
            default -> Channel.buffered(name, capacity);
        };
    }

    /**
     * {@return how many elements a sender can leave in the channel without a receiver}: 0 for
     * rendezvous, the buffer size for buffered, {@link Integer#MAX_VALUE} for unbounded.
     */
    public int capacity() {
        return capacity;
    }

    /** {@return the kind as a channel's name and toString show it: {@code "buffered(16)"}} */
    public String shownAs() {
        return isRendezvous() ? "rendezvous" : isUnbounded() ? "unbounded" : "buffered(" + capacity + ")";
    }

    public boolean isRendezvous() {
        return this == RENDEZVOUS;
    }

    public boolean isUnbounded() {
        return this == UNBOUNDED;
    }

    public boolean isBuffered() {
        return !isRendezvous() && !isUnbounded();
    }
}
