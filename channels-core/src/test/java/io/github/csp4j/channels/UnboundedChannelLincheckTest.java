package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.unbounded()}. */
public class UnboundedChannelLincheckTest extends ChannelLincheckTest {
    public UnboundedChannelLincheckTest() {
        super(ChannelKind.UNBOUNDED, Blocking.class);
    }

    /** Races other {@code trySend}s: an unbounded channel refuses no element. */
    @Operation
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.unbounded()}. */
    public static final class Blocking extends BlockingChannelOperations.WithTry {
        public Blocking() {
            super(ChannelKind.UNBOUNDED);
        }
    }
}
