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

    /** Calls the channel's private no-argument accessor {@code name}, which allocates on first use. */
    private static <T> T firstUse(CellChannel<?> cells, String name, Class<T> type) throws Exception {
        Method accessor = CellChannel.class.getDeclaredMethod(name);
        accessor.setAccessible(true);
        return type.cast(accessor.invoke(cells));
    }
}
