package io.github.csp4j.select;

import static io.github.csp4j.select.Select.onReceive;
import static io.github.csp4j.select.Select.onSend;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.csp4j.channels.Channel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Among clauses ready at the same time, {@code select} picks uniformly at random. Every clause
 * here is always ready (its buffered channel never runs empty or full), so each select is a
 * draw. With a seeded generator the draws are fixed, so the bounds cannot flake; with the default
 * generator the bounds are so wide (about 20 standard deviations) that a correct select misses them
 * with a probability below 10^-80.
 */
@Timeout(60)
class SelectFairnessTest {
    private static final int DRAWS = 30_000;

    @Test
    void selector_seeded_fourReadyReceives_eachWinsAQuarterWithinChiSquareBound() throws InterruptedException {
        for (long seed : new long[] {1, 42, 20261123}) {
            int[] wins = draws(Select.selector(new SplittableRandom(seed), receiveClauses()), DRAWS);

            // Pearson's chi-square over 4 cells, 3 degrees of freedom: 16.27 is the 0.999 quantile.
            double expected = DRAWS / 4.0;
            double chiSquare = Arrays.stream(wins).mapToDouble(w -> (w - expected) * (w - expected) / expected).sum();
            assertTrue(chiSquare < 16.27, "seed " + seed + ": wins " + Arrays.toString(wins) + ", chi-square " + chiSquare);
        }
    }

    @Test
    void select_defaultRandom_fourReadyReceives_noneStarves() throws InterruptedException {
        Channel<Integer>[] channels = filledChannels();
        int[] wins = new int[4];
        for (int i = 0; i < DRAWS; i++) {
            int winner = Select.select(onReceive(channels[0], e -> 0), onReceive(channels[1], e -> 1),
                    onReceive(channels[2], e -> 2), onReceive(channels[3], e -> 3));
            wins[winner]++;
            channels[winner].send(winner); // refill
        }
        // Binomial(30000, 1/4): mean 7500, standard deviation 75; 6000..9000 is 20 deviations wide.
        for (int count : wins) {
            assertTrue(count > 6_000 && count < 9_000, Arrays.toString(wins));
        }
    }

    @Test
    void selector_defaultRandom_fourReadyReceives_noneStarves() throws InterruptedException {
        int[] wins = draws(Select.selector(receiveClauses()), DRAWS);

        // As for select's default generator above: 20 standard deviations wide.
        for (int count : wins) {
            assertTrue(count > 6_000 && count < 9_000, Arrays.toString(wins));
        }
    }

    @Test
    void selector_seeded_readySendAndReceive_eachWinsHalf() throws InterruptedException {
        Channel<Integer> in = Channel.buffered(4);
        Channel<Integer> out = Channel.buffered(4);
        in.send(0);
        Selector<Integer> selector = Select.selector(new SplittableRandom(7), onReceive(in, e -> 0), onSend(out, 1, () -> 1));
        int[] wins = new int[2];
        for (int i = 0; i < DRAWS; i++) {
            int winner = selector.select();
            wins[winner]++;
            if (winner == 0) {
                in.send(0);
            } else {
                out.receive();
            }
        }
        // Binomial(30000, 1/2): standard deviation 87; the fixed seed makes the outcome fixed.
        assertTrue(Math.abs(wins[0] - DRAWS / 2) < 4 * 87, Arrays.toString(wins));
    }

    private Channel<Integer>[] channelsOfLastDraw;

    private SelectClause<Integer>[] receiveClauses() throws InterruptedException {
        channelsOfLastDraw = filledChannels();
        @SuppressWarnings("unchecked")
        SelectClause<Integer>[] clauses = (SelectClause<Integer>[]) new SelectClause<?>[4];
        for (int i = 0; i < 4; i++) {
            int index = i;
            clauses[i] = onReceive(channelsOfLastDraw[i], e -> index);
        }
        return clauses;
    }

    private int[] draws(Selector<Integer> selector, int count) throws InterruptedException {
        int[] wins = new int[4];
        for (int i = 0; i < count; i++) {
            int winner = selector.select();
            wins[winner]++;
            channelsOfLastDraw[winner].send(winner);
        }
        return wins;
    }

    private static Channel<Integer>[] filledChannels() throws InterruptedException {
        @SuppressWarnings("unchecked")
        Channel<Integer>[] channels = (Channel<Integer>[]) new Channel<?>[4];
        for (int i = 0; i < 4; i++) {
            channels[i] = Channel.buffered(2);
            channels[i].send(i);
        }
        return channels;
    }
}
