package io.github.csp4j.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs csp4j alone on {@link PingPongBenchmark} and some {@link TransferBenchmark} workloads once
 * per value of the system property {@code io.github.csp4j.spins} (how long a virtual thread
 * waiting for a rendezvous handoff spins after its yield and before it parks; see
 * {@code Waiter.WaitPolicy}; read once when csp4j's classes initialise, hence one forked JVM per
 * value), and
 * prints a Markdown table: ns per operation by workload and spin count, with the best value of
 * each row and overall.
 *
 * <p>Run, from the repository root, with a JDK 21+ {@code java}:
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.github.csp4j.benchmarks.SpinSweep
 * }</pre>
 * System properties of that command: {@code -Dsweep.spins=0,64,256,1024,4096} (the values),
 * {@code -Dsweep.workloads=rendezvous-1P1C,buffered16-1P1C,buffered64-4P4C} (the
 * TransferBenchmark workloads; PingPongBenchmark always runs), {@code -Dsweep.out=PREFIX} (JSON
 * results go to {@code PREFIX-<spins>.json}; default
 * {@code benchmarks/results/<date>-spins}). Arguments are JMH options, e.g. the quick mode
 * {@code -wi 1 -w 1s -i 3 -r 1s}. One value by hand instead: {@code java -jar
 * benchmarks/target/benchmarks.jar -p impl=csp4j -jvmArgsAppend -Dio.github.csp4j.spins=1024}.
 */
public final class SpinSweep {

    private SpinSweep() {}

    public static void main(String[] args) throws CommandLineOptionException, RunnerException, IOException {
        CommandLineOptions jmhOptions = new CommandLineOptions(args);
        int[] spins = Arrays.stream(System.getProperty("sweep.spins", "0,64,256,1024,4096").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        String[] workloads = System.getProperty("sweep.workloads", "rendezvous-1P1C,buffered16-1P1C,buffered64-4P4C")
                .split(",");
        String out = System.getProperty("sweep.out", "benchmarks/results/" + LocalDate.now() + "-spins");
        Path parent = Path.of(out).toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }

        Map<String, Result<?>[]> rows = new LinkedHashMap<>();
        for (int i = 0; i < spins.length; i++) {
            Options options = new OptionsBuilder()
                    .parent(jmhOptions)
                    .include("\\.(PingPong|Transfer)Benchmark\\.")
                    .param("impl", "csp4j")
                    .param("workload", workloads)
                    .jvmArgsAppend("-Dio.github.csp4j.spins=" + spins[i])
                    .resultFormat(ResultFormatType.JSON)
                    .result(out + "-" + spins[i] + ".json")
                    .build();
            for (RunResult run : new Runner(options).run()) {
                String workload = run.getParams().getParam("workload");
                String row = workload == null ? "ping-pong" : workload;
                rows.computeIfAbsent(row, r -> new Result<?>[spins.length])[i] = run.getPrimaryResult();
            }
        }
        System.out.println(table(spins, rows));
    }

    /** A Markdown table of {@code rows}; the best score of each row in bold, then the best overall. */
    private static String table(int[] spins, Map<String, Result<?>[]> rows) {
        StringBuilder text = new StringBuilder("\n| workload (ns/op) |");
        for (int s : spins) {
            text.append(" spins=").append(s).append(" |");
        }
        text.append(" best |\n|---|");
        text.append("---|".repeat(spins.length + 1)).append('\n');
        double[] logRatioSums = new double[spins.length];
        for (Map.Entry<String, Result<?>[]> row : rows.entrySet()) {
            Result<?>[] results = row.getValue();
            double best = Double.MAX_VALUE;
            int bestIndex = -1;
            for (int i = 0; i < results.length; i++) {
                if (results[i] != null && results[i].getScore() < best) {
                    best = results[i].getScore();
                    bestIndex = i;
                }
            }
            text.append("| ").append(row.getKey()).append(" |");
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    text.append(" — |");
                    logRatioSums[i] = Double.NaN;
                    continue;
                }
                String cell = String.format("%,.0f ± %,.0f", results[i].getScore(), results[i].getScoreError());
                text.append(' ').append(i == bestIndex ? "**" + cell + "**" : cell).append(" |");
                logRatioSums[i] += Math.log(results[i].getScore() / best);
            }
            text.append(' ').append(bestIndex < 0 ? "—" : String.valueOf(spins[bestIndex])).append(" |\n");
        }
        text.append("| geometric mean of score / row's best |");
        List<Double> means = new ArrayList<>();
        for (double sum : logRatioSums) {
            double mean = Math.exp(sum / rows.size());
            means.add(mean);
            text.append(String.format(" %.2f |", mean));
        }
        int overall = 0;
        for (int i = 1; i < means.size(); i++) {
            if (means.get(i) < means.get(overall)) {
                overall = i;
            }
        }
        text.append(' ').append(spins[overall]).append(" |\n");
        return text.toString();
    }
}
