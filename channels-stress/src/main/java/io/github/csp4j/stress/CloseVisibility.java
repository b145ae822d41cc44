package io.github.csp4j.stress;

import io.github.csp4j.channels.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZI_Result;

/** {@code close()} happens-before any operation that observes the channel closed. */
@JCStressTest
@Outcome(id = "false, 0", expect = Expect.ACCEPTABLE, desc = "Not closed yet.")
@Outcome(id = "false, 1", expect = Expect.ACCEPTABLE, desc = "Not closed yet, the earlier write already visible.")
@Outcome(id = "true, 1", expect = Expect.ACCEPTABLE, desc = "Closed, and the write before close is visible.")
@Outcome(id = "true, 0", expect = Expect.FORBIDDEN, desc = "Observed closed, but not the write made before close.")
@State
public class CloseVisibility {
    private final Channel<Integer> channel = Channel.rendezvous();
    private int written; // plain

    @Actor
    public void closer() {
        written = 1;
        channel.close();
    }

    @Actor
    public void observer(ZI_Result r) {
        r.r1 = channel.isClosedForSend();
        r.r2 = written;
    }
}
