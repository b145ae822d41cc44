package io.github.csp4j.stress;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.orElse;

import io.github.csp4j.channels.Channel;
import io.github.csp4j.select.Select;
import io.github.csp4j.select.SelectClause;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Select winner uniqueness: two selects race for one element (exactly one takes it), and each
 * select takes at most one element even when both of its channels have one.
 */
@JCStressTest
@Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = Expect.ACCEPTABLE,
        desc = "One select took the contended element; the other element is still there.")
@Outcome(id = {"1, 2, 0", "2, 1, 0"}, expect = Expect.ACCEPTABLE,
        desc = "Each select took one element: no element left.")
@Outcome(expect = Expect.FORBIDDEN, desc = "An element taken twice, lost, or a select took two.")
@State
public class SelectWinner {
    private final Channel<Integer> a = Channel.buffered(1);
    private final Channel<Integer> b = Channel.buffered(1);

    public SelectWinner() {
        a.trySend(1);
        b.trySend(2);
    }

    /** Selects from a only: the contended channel. */
    @Actor
    public void onlyA(III_Result r) {
        r.r1 = selectNow(onReceive(a, e -> e), orElse(() -> 0));
    }

    /** Selects from a or b. */
    @Actor
    public void aOrB(III_Result r) {
        r.r2 = selectNow(onReceive(a, e -> e), onReceive(b, e -> e), orElse(() -> 0));
    }

    /**
     * Runs a select with an orElse clause.
     *
     * <p><b>Blocking.</b> Never: orElse runs when no clause is ready.
     *
     * <p><b>Interruption.</b> Ignored, as by every select with orElse; so InterruptedException
     * cannot happen, and would be an AssertionError here.
     *
     * <p><b>Closed channel.</b> The channels here are never closed.
     *
     * <p><b>Memory visibility.</b> That of the receive the select completed; this test checks
     * which elements each select took, not what else they see (SelectContractTest's
     * select_plainWritesBeforeSend_visibleAfterTheReceiveWhicheverSideSelects does).
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // passed on to Select.select, which only reads it
    private static int selectNow(SelectClause<Integer>... clauses) {
        try {
            return Select.select(clauses);
        } catch (InterruptedException e) {
            throw new AssertionError("a select with orElse does not wait", e);
        }
    }

    @Arbiter
    public void left(III_Result r) {
        int count = 0;
        while (a.tryReceive() != null) {
            count++;
        }
        while (b.tryReceive() != null) {
            count++;
        }
        r.r3 = count;
    }
}
