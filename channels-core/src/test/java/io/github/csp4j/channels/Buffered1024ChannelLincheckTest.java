package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.buffered(1024)}. */
public class Buffered1024ChannelLincheckTest extends ChannelLincheckTest {
    public Buffered1024ChannelLincheckTest() {
        super(ChannelKind.BUFFERED_1024, Blocking.class);
    }

    /** Races other {@code trySend}s: the buffer holds all the elements of a scenario. */
    @Operation
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.buffered(1024)}. */
    public static final class Blocking extends BlockingChannelOperations.WithTry {
        public Blocking() {
            super(ChannelKind.BUFFERED_1024);
        }
    }
}
