package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.SluiceCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The CLI against a real cluster (a coordinator, one partition service and a gateway, each its own JVM, from
 * {@link SluiceCluster}): every call goes over HTTP to the gateway, as from a terminal. One node keeps it light;
 * what is tested here is the CLI, not replication.
 */
class CliIT {

    private static SluiceCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() {
        cluster = SluiceCluster.builder("cli").nodes(1).withGateway().jvmOptions(SluiceCluster.testJvm("256m"))
                .start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void linesProducedFromStdinAreConsumedBackWithTheirKeysAndHeaders() {
        assertThat(sluice("", "topic", "create", "round-trip", "--partitions", "2").exit()).isZero();

        Run produced = sluice("user-1:one\nuser-2:two\n\nuser-1:three\n", "produce", "round-trip",
                "--key-separator", ":", "--header", "source=cli-it");
        Run consumed = sluice("", "consume", "round-trip", "--template", "{key}={value} {headers}");

        assertThat(produced.exit()).isZero();
        assertThat(produced.out()).startsWith("Produced 3 records to round-trip: partition ");
        assertThat(consumed.exit()).isZero();
        assertThat(consumed.lines()).containsExactlyInAnyOrder("user-1=one source=cli-it", "user-2=two source=cli-it",
                "user-1=three source=cli-it");
        // One key, one partition, in the order written.
        assertThat(consumed.lines().indexOf("user-1=one source=cli-it"))
                .isLessThan(consumed.lines().indexOf("user-1=three source=cli-it"));
    }

    @Test
    void moreLinesThanOneRequestTakesAreStreamedAndAllReadBack() throws IOException {
        Path file = dir.resolve("numbers.txt");
        Files.write(file, IntStream.range(0, 2500).mapToObj(i -> "{\"n\":" + i + "}").toList());
        sluice("", "topic", "create", "streamed", "--partitions", "3");

        Run produced = sluice("", "produce", "streamed", file.toString(), "--value-format", "json");
        Run consumed = sluice("", "consume", "streamed", "-o", "json");

        assertThat(produced.exit()).isZero();
        assertThat(produced.out()).startsWith("Produced 2500 records to streamed");
        assertThat(consumed.lines()).hasSize(2500);
        assertThat(consumed.lines().stream().map(line -> Json.MAPPER.readTree(line).path("value").path("n").asInt())
                .collect(Collectors.toSet())).hasSize(2500);
    }

    @Test
    void aGroupMemberCommitsWhatItPrintedAndAResetDryRunChangesNothing() {
        sluice("", "topic", "create", "billing", "--partitions", "1");
        sluice(IntStream.range(0, 10).mapToObj(i -> "r" + i + "\n").collect(Collectors.joining()), "produce",
                "billing");

        Run member = sluice("", "consume", "billing", "--group", "invoicing", "--offset", "earliest", "-n", "4");
        assertThat(member.lines()).containsExactly("r0", "r1", "r2", "r3");
        assertThat(committed("invoicing")).isEqualTo(4);

        Run dryRun = sluice("", "group", "reset", "invoicing", "--topic", "billing", "--to-earliest", "--dry-run");
        assertThat(dryRun.exit()).isZero();
        assertThat(dryRun.lines()).containsExactly(
                "TOPIC    PARTITION  CURRENT  NEW  LAG",
                "billing  0          4        0    10",
                "Dry run: nothing changed (without --dry-run, group invoicing moves to NEW)");
        assertThat(committed("invoicing")).isEqualTo(4);

        assertThat(sluice("", "group", "reset", "invoicing", "--topic", "billing", "--shift-by", "-1").exit())
                .isZero();
        assertThat(committed("invoicing")).isEqualTo(3);
        assertThat(sluice("", "consume", "billing", "--group", "invoicing").lines())
                .containsExactly("r3", "r4", "r5", "r6", "r7", "r8", "r9");
    }

    @Test
    void followPrintsARecordProducedAfterItStarted() throws Exception {
        sluice("", "topic", "create", "live", "--partitions", "1");
        CompletableFuture<Run> follower = CompletableFuture.supplyAsync(() ->
                sluice("", "consume", "live", "--follow", "-n", "1", "--template", "{offset}:{value}"));

        // The stream starts at the end: keep producing until the follower has seen one record.
        while (!follower.isDone()) {
            sluice("tick\n", "produce", "live");
            Thread.sleep(300);
        }
        Run run = follower.get(30, TimeUnit.SECONDS);
        assertThat(run.exit()).isZero();
        assertThat(run.lines()).hasSize(1).first().asString().matches("\\d+:tick");
    }

    @Test
    void anUnknownTopicIsOneLineOnStderrAndExitFour() {
        Run consume = sluice("", "consume", "no-such-topic");
        Run describe = sluice("", "topic", "describe", "no-such-topic");
        Run produce = sluice("x\n", "produce", "no-such-topic");

        for (Run run : List.of(consume, describe, produce)) {
            assertThat(run.exit()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("UNKNOWN_TOPIC (404): Topic 'no-such-topic' does not exist\n");
        }
    }

    @Test
    void aConfigTheTopicDoesNotKnowIsRefusedWithExitOne() {
        sluice("", "topic", "create", "configured", "--partitions", "1");

        Run run = sluice("", "topic", "alter", "configured", "--set", "retention.msec=1000");

        assertThat(run.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).startsWith("INVALID_CONFIG (400): Unknown topic config 'retention.msec'");
    }

    private long committed(String group) {
        JsonNode description = Json.MAPPER.readTree(sluice("", "group", "describe", group, "-o", "json").out());
        return description.path("partitions").get(0).path("committed_offset").asLong();
    }

    record Run(int exit, String out, String err) {

        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run sluice(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceCli.commandLine(Map.of("SLUICE_URL", cluster.gatewayUrl().toString()),
                Optional.empty(), dir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
