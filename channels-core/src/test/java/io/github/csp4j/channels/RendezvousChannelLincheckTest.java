package io.github.csp4j.channels;

import io.github.csp4j.channels.testing.ChannelKind;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/** {@link ChannelLincheckTest} on {@code Channel.rendezvous()}. */
public class RendezvousChannelLincheckTest extends ChannelLincheckTest {
    public RendezvousChannelLincheckTest() {
        super(ChannelKind.RENDEZVOUS, Blocking.class);
    }

    /** Never succeeds here: no receiver ever waits among the non-blocking operations. */
    @Operation
    public Object trySend(@Param(name = "element") int element) {
        return offer(element);
    }

    /** The blocking operations on {@code Channel.rendezvous()}. */
    public static final class Blocking extends BlockingChannelOperations {
        public Blocking() {
            super(ChannelKind.RENDEZVOUS);
        }
    }
}
