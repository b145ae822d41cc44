package io.github.csp4j.stress;

import io.github.csp4j.channels.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/** Races of the try operations: of two that compete for one element or one slot, exactly one wins. */
public class TryRaces {

    /** Two tryReceive calls, one buffered element. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = Expect.ACCEPTABLE, desc = "Exactly one got it.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Both or neither got the one element.")
    @State
    public static class TwoReceivers {
        private final Channel<Integer> channel = Channel.buffered(1);

        public TwoReceivers() {
            channel.trySend(1);
        }

        @Actor
        public void first(ZZ_Result r) {
            r.r1 = channel.tryReceive() != null;
        }

        @Actor
        public void second(ZZ_Result r) {
            r.r2 = channel.tryReceive() != null;
        }
    }

    /** Two trySend calls, one free slot. */
    @JCStressTest
    @Outcome(id = {"true, false", "false, true"}, expect = Expect.ACCEPTABLE, desc = "Exactly one got the slot.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Both or neither got the one slot.")
    @State
    public static class TwoSenders {
        private final Channel<Integer> channel = Channel.buffered(1);

        @Actor
        public void first(ZZ_Result r) {
            r.r1 = channel.trySend(1);
        }

        @Actor
        public void second(ZZ_Result r) {
            r.r2 = channel.trySend(2);
        }
    }
}
