package io.github.csp4j.stress;

import io.github.csp4j.channels.Channel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Actions before {@code send(e)} happen-before actions after the {@code receive} that returns
 * {@code e}: a receiver that gets the element sees the plain writes made before it was sent, both
 * to the element and to other memory.
 */
@JCStressTest
@Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "Nothing received yet.")
@Outcome(id = "42, 7", expect = Expect.ACCEPTABLE, desc = "Received, and every earlier write is visible.")
@Outcome(expect = Expect.FORBIDDEN, desc = "Received, but a write made before the send is not visible.")
@State
public class SendReceivePublication {
    static final class Box {
        int value; // plain: published by the channel only
    }

    private final Channel<Box> channel = Channel.buffered(1);
    private int other; // plain

    @Actor
    public void sender() {
        Box box = new Box();
        box.value = 42;
        other = 7;
        channel.trySend(box);
    }

    @Actor
    public void receiver(II_Result r) {
        Box box = channel.tryReceive();
        if (box == null) {
            r.r1 = -1;
            r.r2 = -1;
        } else {
            r.r1 = box.value;
            r.r2 = other;
        }
    }
}
