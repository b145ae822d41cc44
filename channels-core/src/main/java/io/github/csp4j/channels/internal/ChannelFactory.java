package io.github.csp4j.channels.internal;

import io.github.csp4j.channels.Channel;
import java.util.Objects;

/**
 * Creates the channels behind {@link Channel}'s static factories. Public only so that the exported
 * API package can call it; this package is not exported.
 */
public final class ChannelFactory {
    private ChannelFactory() {}

    /**
     * {@return {@code name}, checked}
     *
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("channel name must not be blank, was \"" + name + "\"");
        }
        return name;
    }

    /** {@return a new rendezvous channel} {@code name} may be null, for a generated name. */
    public static <E> Channel<E> rendezvous(String name) {
        return new DefaultChannel<>(name, true, 0);
    }

    /** {@return a new buffered channel} {@code name} may be null, for a generated name. */
    public static <E> Channel<E> buffered(String name, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity
                    + "; for a channel without a buffer use Channel.rendezvous()");
        }
        return new DefaultChannel<>(name, false, capacity);
    }

    /** {@return a new unbounded channel} {@code name} may be null, for a generated name. */
    public static <E> Channel<E> unbounded(String name) {
        return new DefaultChannel<>(name, false, 0);
    }

    /** {@return the deadline of a wait of {@code timeoutNanos}, as the channels compute it} */
    public static long deadline(long timeoutNanos) {
        return Waiter.deadline(timeoutNanos);
    }

    /** {@link io.github.csp4j.channels.spi.Selection#CLOSED}. */
    public static final Object CLOSED = Signal.CLOSED;

    /** {@link io.github.csp4j.channels.spi.Selection#selectable}. */
    public static boolean selectable(Object channel) {
        return channel instanceof DefaultChannel<?>;
    }

    /** {@link io.github.csp4j.channels.spi.Selection#rendezvous}. */
    public static boolean rendezvous(Object channel) {
        return ((CellChannel<?>) channel).isRendezvous();
    }

    /** {@link io.github.csp4j.channels.spi.Selection#tryReceive}. */
    public static Object tryReceive(Object channel) {
        Object result = ((CellChannel<?>) channel).tryReceiveNow();
        return result == Signal.WOULD_BLOCK ? null : result;
    }

    /** {@link io.github.csp4j.channels.spi.Selection#trySend}. */
    @SuppressWarnings("unchecked")
    public static boolean trySend(Object channel, Object element) {
        return ((CellChannel<Object>) channel).trySendNow(element);
    }

    /** {@return a new select engine, for {@link io.github.csp4j.channels.spi.Selection#create()}} */
    public static io.github.csp4j.channels.spi.Selection selection() {
        return new SelectInstance();
    }
}
