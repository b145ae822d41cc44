package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.buffered(16)}. */
public class Buffered16ChannelLincheckTest extends ChannelLincheckTest {
    public Buffered16ChannelLincheckTest() {
        super(ChannelKind.BUFFERED_16, Blocking.class);
    }

    /** Races other {@code trySend}s: the buffer holds all the elements of a scenario. */
    @Operation
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.buffered(16)}. */
    public static final class Blocking extends BlockingChannelOperations.WithTry {
        public Blocking() {
            super(ChannelKind.BUFFERED_16);
        }
    }
}
