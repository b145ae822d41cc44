package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.buffered(2)}. */
public class Buffered2ChannelLincheckTest extends ChannelLincheckTest {
    public Buffered2ChannelLincheckTest() {
        super(ChannelKind.BUFFERED_2, Blocking.class);
    }

    /** Never concurrent with another {@code trySend}: see {@link #SENDING}. */
    @Operation(nonParallelGroup = SENDING)
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.buffered(2)}. */
    public static final class Blocking extends BlockingChannelOperations.WithTryReceive {
        public Blocking() {
            super(ChannelKind.BUFFERED_2);
        }
    }
}
