package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.buffered(1)}. */
public class Buffered1ChannelLincheckTest extends ChannelLincheckTest {
    public Buffered1ChannelLincheckTest() {
        super(ChannelKind.BUFFERED_1, Blocking.class);
    }

    /** Never concurrent with another {@code trySend}: see {@link #SENDING}. */
    @Operation(nonParallelGroup = SENDING)
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.buffered(1)}. */
    public static final class Blocking extends BlockingChannelOperations.WithTryReceive {
        public Blocking() {
            super(ChannelKind.BUFFERED_1);
        }
    }
}
