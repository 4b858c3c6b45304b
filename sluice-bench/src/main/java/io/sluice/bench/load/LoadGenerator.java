package io.sluice.bench.load;

import io.sluice.bench.load.LoadOptions.UsageException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A load generator for Sluice's public HTTP API, in the manner of Kafka's producer-perf-test, consumer-perf-test and
 * EndToEndLatency: {@code produce}, {@code consume} and {@code e2e} modes, progress lines while running, then a
 * report, the closing line(s) of the matching Kafka tool in Kafka's own format, and one {@code RESULT key=value ...}
 * line for scripts. A {@code fanout} mode, which Kafka's tools have no peer of, opens many SSE subscribers of one
 * topic on one gateway and checks that every one gets every record, with the latency and the leader fetches it costs. See {@link LoadOptions#USAGE} for the options, and the run classes for exactly what is timed.
 *
 * <pre>
 *   java -cp sluice-bench/target/benchmarks.jar io.sluice.bench.load.LoadGenerator --help
 * </pre>
 *
 * Exit status: 0 when every record was acknowledged (and, for e2e and fanout, delivered to every subscriber) or
 * read, 1 when some were not or the run failed, 2 for a command line that cannot be run.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        if (args.length == 0 || Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            System.out.print(LoadOptions.USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + "\nrun with --help for the options");
            System.exit(2);
            return;
        }
        int status;
        try {
            status = run(options, System.out);
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
            status = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(LoadOptions options, PrintStream out) throws IOException, InterruptedException {
        out.println("sluice load generator: " + options.mode().name().toLowerCase(Locale.ROOT) + " "
                + String.join(" ", options.describe()));
        try (GatewayClient gateway = new GatewayClient(options.gateway(), Duration.ofMillis(options.timeoutMs()),
                options.httpClients())) {
            if (options.createTopic() != null) {
                gateway.createTopic(options.topic(), options.createTopic(), out);
            }
            return switch (options.mode()) {
                case PRODUCE -> produce(options, gateway, out);
                case CONSUME -> {
                    if (options.warmupRecords() > 0) {
                        out.println("warm-up: " + options.warmupRecords() + " records read (left out of every figure)");
                        ConsumeReport warmup = new ConsumeRun(options, gateway, out).run(options.warmupRecords());
                        out.printf(Locale.ROOT, "warm-up done: %d records, %.1f MiB/s%n",
                                warmup.throughput().records(), warmup.throughput().mibPerSecond());
                    }
                    ConsumeReport report = new ConsumeRun(options, gateway, out).run();
                    report.print(out);
                    yield report.stalled() || report.errors().total() > 0 ? 1 : 0;
                }
                case E2E -> {
                    EndToEndReport report = new EndToEndRun(options, gateway, out).run();
                    report.print(out);
                    yield report.missing() > 0 || report.errors().total() > 0 || report.streamFailure() != null ? 1 : 0;
                }
                case FANOUT -> {
                    FanoutReport report = new FanoutRun(options, gateway, out).run();
                    report.print(out);
                    yield report.clean() ? 0 : 1;
                }
            };
        }
    }

    private static int produce(LoadOptions options, GatewayClient gateway, PrintStream out)
            throws IOException, InterruptedException {
        gateway.awaitReady(options.topic());
        if (options.warmupRecords() > 0) {
            out.println("warm-up: " + options.warmupRecords() + " records (left out of every figure)");
            ProduceReport warmup = produceOnce(options, gateway, out, options.warmupRecords(), 1);
            out.printf(Locale.ROOT, "warm-up done: %d acked, %d failed, %.1f records/s%n", warmup.acked(),
                    warmup.errors().total(), warmup.throughput().recordsPerSecond());
        }
        ProduceReport report = produceOnce(options, gateway, out, options.numRecords(), 1_000_003);
        report.print(out);
        return report.errors().total() > 0 || report.acked() < options.numRecords() ? 1 : 0;
    }

    private static ProduceReport produceOnce(LoadOptions options, GatewayClient gateway, PrintStream out, long records,
                                             long seed) throws InterruptedException {
        return options.ndjson() ? new NdjsonProduceRun(options, out).run(records, seed)
                : new ProduceRun(options, gateway, out).run(records, seed);
    }
}
