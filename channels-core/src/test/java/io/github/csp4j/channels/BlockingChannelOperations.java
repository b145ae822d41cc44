package io.github.csp4j.channels;

import io.github.csp4j.channels.ChannelModelTest.ChannelModel;
import io.github.csp4j.channels.testing.ChannelKind;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.CTestStructure;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.execution.RandomExecutionGenerator;
import org.jetbrains.lincheck.datastructures.CTestConfiguration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.RandomProvider;

/**
 * The blocking operations of a channel, for Lincheck: {@code send}, {@code receive} and
 * {@code receiveOrClosed} with {@code close}, {@code fail}, {@code isClosedForSend} and
 * {@code isClosedForReceive}; {@link WithTryReceive} adds {@code tryReceive}, {@link WithTry}
 * {@code trySend} as well. Checked by {@link ChannelLincheckTest} against
 * {@link ChannelLincheckSpec#withBlocking}.
 *
 * <p>Lincheck runs blocking Java calls (the channels park with {@code LockSupport} on Lincheck's
 * own threads), but reports a scenario in which a call waits forever as a hang. So the scenarios
 * come from {@link ClosingGenerator}, where no call can wait forever: each has one more thread that
 * only closes the channel, which wakes every waiting sender (it throws) and receiver (it takes
 * what is left, then throws); in the initial part, which runs on one thread, an operation that
 * would wait is left out. Failed scenarios are not minimized, since the minimizer would drop the
 * closing thread and report a hang instead of the real failure.
 *
 * <p>Rendezvous channels get no {@code trySend} and {@code tryReceive} here, deliberately: on a
 * rendezvous they succeed only if a partner is waiting, and a waiting partner is no state of a
 * sequential specification, where a blocking call that completes never waits. So they are not
 * linearizable next to blocking calls: a {@code trySend} may fail while a receiver is on its way
 * into {@code receive}, which a specification would have to count as there already (the
 * {@code @implNote}s of {@link SendChannel#trySend} and {@link ReceiveChannel#tryReceive} allow
 * exactly that). Kotlin's {@code ChannelsLincheckTest} leaves {@code trySend} out, with a comment,
 * for the same kind of reason.
 */
// Public only because Lincheck instantiates it by reflection; its signatures name test and
// Lincheck types, which no module exports.
@SuppressWarnings("exports")
@Param(name = "element", gen = IntGen.class, conf = "1:9")
public abstract class BlockingChannelOperations {
    final ChannelKind kind;
    final Channel<Integer> channel;

    /** @param kind the channel kind under test */
    BlockingChannelOperations(ChannelKind kind) {
        this.kind = kind;
        this.channel = kind.create();
    }

    /** {@return {@code options} set up for the blocking operations on {@code kind}} */
    static <O extends Options<O, ?>> O configure(O options, ChannelKind kind) {
        return ChannelLincheckTest.budget(options)
                .threads(2) // plus the closing thread
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .executionGenerator(ClosingGenerator.class)
                .minimizeFailedScenario(false)
                .sequentialSpecification(ChannelLincheckSpec.withBlocking(kind));
    }

    @Operation(blocking = true)
    public Object send(@Param(name = "element") int element) {
        return LincheckOutcome.of(() -> {
            channel.send(element);
            return LincheckOutcome.SENT;
        });
    }

    @Operation(blocking = true)
    public Object receive() {
        return LincheckOutcome.of(channel::receive);
    }

    @Operation(blocking = true)
    public Object receiveOrClosed() {
        return LincheckOutcome.of(channel::receiveOrClosed);
    }

    @Operation
    public boolean close() {
        return channel.close();
    }

    @Operation
    public boolean fail() {
        return channel.fail(LincheckOutcome.CAUSE);
    }

    @Operation
    public boolean isClosedForSend() {
        return channel.isClosedForSend();
    }

    @Operation
    public boolean isClosedForReceive() {
        return channel.isClosedForReceive();
    }

    @Override
    public String toString() {
        return kind + " " + channel;
    }

    /**
     * The blocking operations with {@code tryReceive}: buffered channels too small for the
     * senders of a scenario. Their {@code trySend} is left out, deliberately: a {@code trySend}
     * that finds the buffer full because a sender was admitted but has not yet put its element
     * returns {@code false} although that sender may still fail, so nothing was ever in the
     * buffer (see {@link ChannelLincheckTest#SENDING}), and here every scenario closes the channel.
     */
    public abstract static class WithTryReceive extends BlockingChannelOperations {
        /** @param kind the channel kind under test, not rendezvous */
        WithTryReceive(ChannelKind kind) {
            super(kind);
            if (kind.isRendezvous()) {
                throw new IllegalArgumentException("tryReceive on rendezvous is not linearizable");
            }
        }

        @Operation
        public Object tryReceive() {
            return LincheckOutcome.of(channel::tryReceive);
        }
    }

    /**
     * The blocking operations with {@code tryReceive} and {@code trySend}: channels whose buffer
     * holds every element of a scenario (16, 1024, unbounded), where no sender is ever refused.
     */
    public abstract static class WithTry extends WithTryReceive {
        /** @param kind the channel kind under test, with a buffer of at least 16 */
        WithTry(ChannelKind kind) {
            super(kind);
            if (kind.capacity() < 16) {
                throw new IllegalArgumentException("trySend on " + kind + " is not linearizable with sends");
            }
        }

        @Operation
        public Object trySend(@Param(name = "element") int element) {
            return LincheckOutcome.of(() -> channel.trySend(element));
        }
    }

    /**
     * Lincheck's random scenarios, made so that no operation can wait forever: a last parallel
     * thread that closes the channel (every other one fails it instead), and an initial part without the operations that would wait there
     * (decided by {@link ChannelModel}, followed step by step).
     * The other parallel threads get no {@code close} or {@code fail} (racing closes are checked
     * by the non-blocking checks); the initial and final parts keep theirs.
     */
    public static final class ClosingGenerator extends RandomExecutionGenerator {
        private final ChannelKind kind;
        private final Method close;
        private final Method fail;
        private int scenarios;

        public ClosingGenerator(CTestConfiguration configuration, CTestStructure structure, RandomProvider random) {
            super(configuration, structure, random);
            Class<?> testClass = configuration.getTestClass();
            try {
                this.kind = ((BlockingChannelOperations) testClass.getConstructor().newInstance()).kind;
                this.close = testClass.getMethod("close");
                this.fail = testClass.getMethod("fail");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot set up scenarios for " + testClass, e);
            }
        }

        @Override
        public ExecutionScenario nextExecution() {
            ExecutionScenario random = super.nextExecution();
            // One closing thread; the non-blocking checks race closes with each other.
            List<List<Actor>> threads = ChannelLincheckTest.without(random.getParallelExecution(), Set.of("close", "fail"));
            // Alternately a graceful and an abortive closing thread.
            Method closing = scenarios++ % 2 != 0 ? fail : close;
            threads.add(new ArrayList<>(List.of(new Actor(closing, List.of()))));
            return new ExecutionScenario(
                    withoutWaits(random.getInitExecution()),
                    threads,
                    new ArrayList<>(random.getPostExecution()),
                    random.getValidationFunction());
        }

        /** {@return {@code init} without the operations that would wait, run on one thread} */
        private List<Actor> withoutWaits(List<Actor> init) {
            ChannelModel model = new ChannelModel("init", kind.capacity());
            List<Actor> kept = new ArrayList<>();
            for (Actor actor : init) {
                String name = actor.getMethod().getName();
                boolean waits = switch (name) {
                    case "send" -> model.sendWouldBlock();
                    case "receive", "receiveOrClosed" -> model.receiveWouldBlock();
                    default -> false;
                };
                if (!waits) {
                    kept.add(actor);
                    apply(model, name, actor.getArguments());
                }
            }
            return kept;
        }

        private static void apply(ChannelModel model, String operation, List<Object> arguments) {
            switch (operation) {
                case "send", "trySend" -> LincheckOutcome.of(() -> model.trySend((Integer) arguments.get(0)));
                case "receive", "receiveOrClosed", "tryReceive" -> LincheckOutcome.of(model::tryReceive);
                case "close" -> model.close();
                case "fail" -> model.fail(LincheckOutcome.CAUSE);
                case "isClosedForSend", "isClosedForReceive" -> { }
                default -> throw new IllegalStateException("unknown operation " + operation);
            }
        }
    }
}
