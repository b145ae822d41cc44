package io.github.csp4j.channels.internal;

import java.lang.reflect.Method;

/** Reaches a channel's private parts as its own operations do, for white-box tests of the cell protocol. */
final class WhiteBox {
    private WhiteBox() {}

    /** {@return the channel's ticket counters, allocated as a first operation does} */
    static Counters counters(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "counters", Counters.class);
    }

    /** {@return the senders' segment pointer, installed as a sender's first operation does} */
    static Segment sendSegment(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "sendSegment", Segment.class);
    }

    /** {@return the receivers' segment pointer, installed as a receiver's first operation does} */
    static Segment receiveSegment(CellChannel<?> cells) throws Exception {
        return firstUse(cells, "receiveSegment", Segment.class);
    }

    /**
     * The sender of {@code ticket}, which it took already, arrives at its cell ({@code mayWait}: a
     * rendezvous send, which waits there if no receiver holds the ticket); {@return what
     * sendToCell returns}
     */
    static <E> Object sendToCell(CellChannel<E> cells, Segment segment, long ticket, E element, boolean mayWait)
            throws Exception {
        Method sendToCell = CellChannel.class.getDeclaredMethod("sendToCell", Segment.class, int.class, long.class,
                Object.class, boolean.class, long.class, SelectRound.Registration.class);
        sendToCell.setAccessible(true);
        return sendToCell.invoke(cells, segment, (int) ticket, ticket, element, mayWait, Waiter.NO_DEADLINE, null);
    }

    /**
     * The receiver of {@code ticket}, which it took already, arrives at its cell: as a blocking
     * receive without a deadline ({@code mayWait}), or as one that does not wait (an empty cell is
     * left cancelled); {@return what receiveFromCell returns}
     */
    static Object receiveFromCell(CellChannel<?> cells, Segment segment, long ticket, boolean mayWait)
            throws Exception {
        Method receiveFromCell = CellChannel.class.getDeclaredMethod("receiveFromCell", Segment.class, int.class,
                long.class, boolean.class, long.class, SelectRound.Registration.class);
        receiveFromCell.setAccessible(true);
        long deadline = mayWait ? Waiter.NO_DEADLINE : 0L;
        return receiveFromCell.invoke(cells, segment, (int) ticket, ticket, mayWait, deadline, null);
    }

    /** Calls the channel's private no-argument accessor {@code name}, which allocates on first use. */
    private static <T> T firstUse(CellChannel<?> cells, String name, Class<T> type) throws Exception {
        Method accessor = CellChannel.class.getDeclaredMethod(name);
        accessor.setAccessible(true);
        return type.cast(accessor.invoke(cells));
    }
}
