package io.github.csp4j.channels;

import io.github.csp4j.channels.ChannelModelTest.ChannelModel;
import io.github.csp4j.channels.testing.ChannelKind;

/**
 * The sequential specification that the Lincheck tests check the channels against: the
 * {@link ChannelModel} of {@link ChannelModelTest} (a deque of at most {@code capacity} elements and
 * an open/closed/failed status), wrapped in methods with the names and parameters of the Lincheck
 * operations, which Lincheck finds by reflection.
 *
 * <p>Every method returns what {@link LincheckOutcome#of} makes of the call, so a result tells
 * "closed" from "failed by {@link LincheckOutcome#CAUSE}" (Lincheck itself compares exceptions by
 * class only).
 *
 * <p>Blocking methods: where the model says that {@code send}, {@code receive} or
 * {@code receiveOrClosed} would wait, the specification throws {@link WouldBlock}, which no real
 * call ever throws, so the verifier rejects that order of the operations and looks for another: a
 * blocking call that completed is linearized at a moment when it could complete at once.
 *
 * <p>Lincheck instantiates a specification by its no-argument constructor, hence one small
 * subclass per capacity.
 */
public abstract class ChannelLincheckSpec {
    private final ChannelModel model;

    /** @param capacity the model's buffer size: 0 for rendezvous */
    protected ChannelLincheckSpec(int capacity) {
        this.model = new ChannelModel("lincheck", capacity);
    }

    /** {@return the specification class for {@code kind}, non-blocking operations alone} */
    static Class<? extends ChannelLincheckSpec> of(ChannelKind kind) {
        return switch (kind) {
            case RENDEZVOUS -> Rendezvous.class;
            case BUFFERED_1 -> Buffered1.class;
            case BUFFERED_2 -> Buffered2.class;
            case BUFFERED_16 -> Buffered16.class;
            case BUFFERED_1024 -> Buffered1024.class;
            case UNBOUNDED -> Unbounded.class;
        };
    }

    /**
     * {@return the specification class for {@code kind} with blocking operations} The same as
     * {@link #of}, except for rendezvous: a rendezvous {@code send} that returns was matched by a
     * {@code receive}, and sequentially that pair is the send immediately followed by its receive,
     * through a one-element buffer. A sequential specification of blocking Java calls cannot say
     * "immediately followed by" (Kotlin's Lincheck tests say it with coroutine suspension), so on
     * rendezvous the check is that of {@code buffered(1)}: weaker, since it would also accept a
     * send that returned before its receiver came, but it still catches a lost, duplicated or
     * reordered element, and a wrong closing outcome.
     */
    static Class<? extends ChannelLincheckSpec> withBlocking(ChannelKind kind) {
        return kind.isRendezvous() ? Buffered1.class : of(kind);
    }

    /** Thrown where a blocking call would wait: marks an order of operations as impossible. */
    public static final class WouldBlock extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WouldBlock(String operation) {
            super(operation + " would wait here", null, false, false);
        }
    }

    public Object trySend(int element) {
        return LincheckOutcome.of(() -> model.trySend(element));
    }

    public Object tryReceive() {
        return LincheckOutcome.of(model::tryReceive);
    }

    public Object send(int element) {
        if (model.sendWouldBlock()) {
            throw new WouldBlock("send");
        }
        return LincheckOutcome.of(() -> {
            model.send(element);
            return LincheckOutcome.SENT;
        });
    }

    public Object receive() {
        if (model.receiveWouldBlock()) {
            throw new WouldBlock("receive");
        }
        return LincheckOutcome.of(model::receive);
    }

    public Object receiveOrClosed() {
        if (model.receiveWouldBlock()) {
            throw new WouldBlock("receiveOrClosed");
        }
        return LincheckOutcome.of(model::receiveOrClosed);
    }

    public boolean close() {
        return model.close();
    }

    public boolean fail() {
        return model.fail(LincheckOutcome.CAUSE);
    }

    public boolean isClosedForSend() {
        return model.isClosedForSend();
    }

    public boolean isClosedForReceive() {
        return model.isClosedForReceive();
    }

    @Override
    public String toString() {
        return model.toString();
    }

    /** The specification of {@code Channel.rendezvous()}. */
    public static final class Rendezvous extends ChannelLincheckSpec {
        public Rendezvous() {
            super(0);
        }
    }

    /** The specification of {@code Channel.buffered(1)}. */
    public static final class Buffered1 extends ChannelLincheckSpec {
        public Buffered1() {
            super(1);
        }
    }

    /** The specification of {@code Channel.buffered(2)}. */
    public static final class Buffered2 extends ChannelLincheckSpec {
        public Buffered2() {
            super(2);
        }
    }

    /** The specification of {@code Channel.buffered(16)}. */
    public static final class Buffered16 extends ChannelLincheckSpec {
        public Buffered16() {
            super(16);
        }
    }

    /** The specification of {@code Channel.buffered(1024)}. */
    public static final class Buffered1024 extends ChannelLincheckSpec {
        public Buffered1024() {
            super(1024);
        }
    }

    /** The specification of {@code Channel.unbounded()}. */
    public static final class Unbounded extends ChannelLincheckSpec {
        public Unbounded() {
            super(Integer.MAX_VALUE);
        }
    }
}
