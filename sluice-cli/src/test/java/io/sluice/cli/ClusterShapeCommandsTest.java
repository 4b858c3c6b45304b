package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sluice reassignment}, {@code sluice node} and {@code sluice cluster config} against a stub gateway that answers canned bodies and records
 * what it was sent: the calls each command makes, its tables, and its exit status on partial and refused outcomes.
 */
class ClusterShapeCommandsTest {

    /** A canned answer: status and JSON body (empty for none). */
    private record Answer(int status, String body) {
    }

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private HttpServer gateway;

    @BeforeEach
    void startStubGateway() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (calls) {
                calls.add(body.isEmpty() ? call : call + " " + body);
            }
            Answer answer = answers.getOrDefault(call, new Answer(404, "{\"error_code\": \"NOT_FOUND\"}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.status() >= 400
                    ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stopStubGateway() {
        gateway.stop(0);
    }

    @Test
    void listShowsOneRowPerAddingReplicaWithItsProgress() {
        answers.put("GET /v1/reassignments", new Answer(200, """
                {"reassignments": [{"topic": "orders", "partition": 0, "replicas": [2, 3, 1],
                  "adding_replicas": [2, 3], "removing_replicas": [1], "leader": 1, "progress": [
                    {"node_id": 2, "bytes_to_go": 2048, "offsets_to_go": 30, "bytes_per_second": 1024.0,
                     "eta_seconds": 2},
                    {"node_id": 3, "bytes_to_go": null, "offsets_to_go": null, "bytes_per_second": null,
                     "eta_seconds": null}]}]}"""));

        assertThat(run("reassignment", "list")).isEqualTo(ExitCode.OK);

        assertThat(out.toString()).contains("TOPIC", "BYTES-TO-GO", "ETA");
        assertThat(lines()).anySatisfy(line -> assertThat(line).contains("orders", "2,3,1", "2.0 KiB", "30",
                "1.0 KiB/s", "2s"));
        assertThat(lines()).anySatisfy(line -> assertThat(line).matches(".*orders .* 3 +- +- +- +-\\s*"));
    }

    @Test
    void clusterNodesNotesADecommissionAndSinceWhenADeadNodeIsDead() {
        answers.put("GET /v1/nodes", new Answer(200, """
                {"nodes": [{"node_id": 1, "url": "http://a:9501", "rack": null, "status": "ALIVE",
                  "leader_count": 3, "replica_count": 6, "size_bytes": 1024, "throughput": null,
                  "decommissioning": true, "dead_since": null},
                 {"node_id": 2, "url": "http://b:9502", "rack": null, "status": "DEAD",
                  "leader_count": 0, "replica_count": 6, "size_bytes": null, "throughput": null,
                  "decommissioning": false, "dead_since": "2026-11-28T12:00:00Z"},
                 {"node_id": 3, "url": "http://c:9503", "rack": null, "status": "ALIVE",
                  "leader_count": 3, "replica_count": 6, "size_bytes": 1024, "throughput": null,
                  "decommissioning": false, "dead_since": null}]}"""));

        assertThat(run("cluster", "nodes")).isEqualTo(ExitCode.OK);

        assertThat(lines().getFirst()).endsWith("NOTE");
        assertThat(lines()).anySatisfy(line -> assertThat(line).startsWith("1 ").endsWith("decommissioning"));
        assertThat(lines()).anySatisfy(line -> assertThat(line).startsWith("2 ").contains("DEAD")
                .endsWith("dead since 2026-11-28T12:00:00Z"));
        assertThat(lines()).anySatisfy(line -> assertThat(line).startsWith("3 ").endsWith(" -"));
    }

    @Test
    void proposeSendsTheTopicsAndNodesAndPrintsTheStartCommandOfWhatWouldMove() {
        answers.put("POST /v1/reassignments/proposal", new Answer(200, """
                {"partitions": [{"topic": "orders", "partition": 0, "current_replicas": [1, 2],
                  "proposed_replicas": [3, 2]},
                 {"topic": "orders", "partition": 1, "current_replicas": [2, 3], "proposed_replicas": [2, 3]}]}"""));

        assertThat(run("reassignment", "propose", "--nodes", "2,3", "orders")).isEqualTo(ExitCode.OK);

        assertThat(calls).containsExactly("POST /v1/reassignments/proposal {\"topics\":[\"orders\"],\"nodes\":[2,3]}");
        assertThat(lines().getFirst()).startsWith("TOPIC").contains("CURRENT", "PROPOSED");
        assertThat(lines()).anySatisfy(line -> assertThat(line).matches("orders +0 +1,2 +3,2\\s*"));
        assertThat(lines()).anySatisfy(line -> assertThat(line).matches("orders +1 +2,3 +2,3\\s*"));
        assertThat(lines().getLast()).isEqualTo("To start it: sluice reassignment start orders:0=3,2");
    }

    @Test
    void proposeSaysSoWhenNothingWouldMove() {
        answers.put("POST /v1/reassignments/proposal", new Answer(200, """
                {"partitions": [{"topic": "orders", "partition": 0, "current_replicas": [1],
                  "proposed_replicas": [1]}]}"""));

        assertThat(run("reassignment", "propose", "--nodes", "1", "orders")).isEqualTo(ExitCode.OK);

        assertThat(lines().getLast()).isEqualTo("Nothing would move.");
    }

    @Test
    void startSendsEveryPartitionInOneRequestAndExitsOneWhenSomeWereRefused() {
        answers.put("POST /v1/reassignments", new Answer(207, """
                {"partitions": [{"topic": "orders", "partition": 0},
                  {"topic": "orders", "partition": 1, "error_code": "INVALID_REPLICA_ASSIGNMENT",
                   "detail": "it would drop the last in-sync replica"}]}"""));

        assertThat(run("reassignment", "start", "orders:0=2,3,1", "orders:1=3")).isEqualTo(ExitCode.REFUSED);

        assertThat(calls).containsExactly("POST /v1/reassignments {\"partitions\":[{\"topic\":\"orders\","
                + "\"partition\":0,\"replicas\":[2,3,1]},{\"topic\":\"orders\",\"partition\":1,\"replicas\":[3]}]}");
        assertThat(out.toString()).contains("Moving orders:0");
        assertThat(err.toString()).contains("orders:1: INVALID_REPLICA_ASSIGNMENT: it would drop");
    }

    @Test
    void startRefusesAMoveItCannotReadWithoutCallingTheGateway() {
        assertThat(run("reassignment", "start", "orders=2,3")).isEqualTo(ExitCode.USAGE);

        assertThat(err.toString()).contains("'orders=2,3' is not TOPIC:PARTITION=NODE,NODE...");
        assertThat(calls).isEmpty();
    }

    @Test
    void cancelDeletesThePartitionsMoveAndAConflictExitsOne() {
        answers.put("DELETE /v1/reassignments/orders/0", new Answer(204, ""));
        assertThat(run("reassignment", "cancel", "orders", "0")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Cancelled the move of orders:0");

        answers.put("DELETE /v1/reassignments/orders/0", new Answer(409, """
                {"status": 409, "error_code": "NO_REASSIGNMENT_IN_PROGRESS", "retriable": false,
                 "detail": "Nothing moves orders-0"}"""));
        assertThat(run("reassignment", "cancel", "orders", "0")).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString()).contains("NO_REASSIGNMENT_IN_PROGRESS");
    }

    @Test
    void throttleSendsTheRateInBytesAndClearGoesBackToTheNodesOwn() {
        answers.put("PUT /v1/nodes/2/move-throttle", new Answer(200, """
                {"node_id": 2, "move_throttle_bytes_per_second": 10485760}"""));
        answers.put("DELETE /v1/nodes/2/move-throttle", new Answer(200, """
                {"node_id": 2, "move_throttle_bytes_per_second": null}"""));

        assertThat(run("node", "throttle", "2", "10MiB")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Node 2 serves replicas that moves add at 10.0 MiB/s");
        assertThat(run("node", "throttle", "2", "--clear")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("at its configured rate");

        assertThat(calls).containsExactly("PUT /v1/nodes/2/move-throttle {\"bytes_per_second\":10485760}",
                "DELETE /v1/nodes/2/move-throttle");
        assertThat(NodeCommand.bytesPerSecond("5MB/s")).isEqualTo(5_000_000);
        assertThat(NodeCommand.bytesPerSecond("512 KiB")).isEqualTo(524_288);
        assertThat(NodeCommand.bytesPerSecond("1500")).isEqualTo(1500);
    }

    @Test
    void throttleRefusesARateItCannotReadWithoutCallingTheGateway() {
        assertThat(run("node", "throttle", "2", "fast")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("Not a byte rate: 'fast'");
        assertThat(run("node", "throttle", "2")).isEqualTo(ExitCode.USAGE);
        assertThat(run("node", "throttle", "2", "0.1B")).isEqualTo(ExitCode.USAGE);

        assertThat(calls).isEmpty();
    }

    @Test
    void decommissionStartsCancelsAndListsProgress() {
        answers.put("POST /v1/nodes/3/decommission", new Answer(202, """
                {"node_id": 3, "status": "ALIVE", "partitions_remaining": 4, "partitions_moving_off": 2,
                 "safe_to_remove": false}"""));
        answers.put("DELETE /v1/nodes/3/decommission", new Answer(204, ""));
        answers.put("GET /v1/decommissions", new Answer(200, """
                {"decommissions": [{"node_id": 3, "status": "ALIVE", "partitions_remaining": 0,
                  "partitions_moving_off": 0, "safe_to_remove": true}]}"""));

        assertThat(run("node", "decommission", "3")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("Decommissioning node 3", "SAFE-TO-REMOVE");
        assertThat(lines()).anySatisfy(line -> assertThat(line).matches("3 +ALIVE +4 +2 +no\\s*"));

        assertThat(run("node", "decommissions")).isEqualTo(ExitCode.OK);
        assertThat(lines()).anySatisfy(line -> assertThat(line).matches("3 +ALIVE +0 +0 +yes\\s*"));

        assertThat(run("node", "decommission", "3", "--cancel")).isEqualTo(ExitCode.OK);
        assertThat(calls).containsExactly("POST /v1/nodes/3/decommission", "GET /v1/decommissions",
                "DELETE /v1/nodes/3/decommission");
    }

    @Test
    void anUnknownNodeExitsFourAndJsonOutputIsTheGatewaysAnswer() {
        answers.put("POST /v1/nodes/9/decommission", new Answer(404, """
                {"status": 404, "error_code": "UNKNOWN_NODE", "retriable": false,
                 "detail": "Node 9 is not registered"}"""));
        assertThat(run("node", "decommission", "9")).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(err.toString()).contains("Node 9 is not registered");

        answers.put("GET /v1/decommissions", new Answer(200, "{\"decommissions\": []}"));
        assertThat(run("node", "decommissions", "--output", "json")).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("\"decommissions\"");
    }

    @Test
    void clusterConfigListShowsTheAlterableConfigsAndAllWithAll() {
        answers.put("GET /v1/cluster/configs", new Answer(200, """
                {"broker_id": 0, "configs": [
                  {"name": "log.retention.ms", "value": "604800000", "source": "DEFAULT_CONFIG", "read_only": true},
                  {"name": "num.partitions", "value": "6", "source": "DYNAMIC_DEFAULT_BROKER_CONFIG",
                   "read_only": false}]}"""));

        assertThat(run("cluster", "config", "list")).isEqualTo(ExitCode.OK);
        assertThat(lines()).anySatisfy(line -> assertThat(line).contains("num.partitions", "6",
                "DYNAMIC_DEFAULT_BROKER_CONFIG", "no"));
        assertThat(out.toString()).doesNotContain("log.retention.ms");
        assertThat(run("cluster", "config", "list", "--all")).isEqualTo(ExitCode.OK);
        assertThat(lines()).anySatisfy(line -> assertThat(line).contains("log.retention.ms", "DEFAULT_CONFIG", "yes"));
    }

    @Test
    void clusterConfigAlterSendsTheSetsAndDeletesTogetherAndARefusalExitsNonZero() {
        answers.put("PATCH /v1/cluster/configs", new Answer(200, "{\"broker_id\": 0, \"configs\": []}"));
        assertThat(run("cluster", "config", "alter", "-s", "num.partitions=6", "-d", "default.replication.factor"))
                .isEqualTo(ExitCode.OK);
        assertThat(calls).containsExactly("PATCH /v1/cluster/configs {\"configs\":[{\"name\":\"num.partitions\","
                + "\"value\":\"6\"},{\"name\":\"default.replication.factor\",\"value\":null}]}");
        assertThat(out.toString()).contains("Altered the cluster's broker configs: num.partitions=6");

        answers.put("PATCH /v1/cluster/configs", new Answer(400, """
                {"error_code": "INVALID_REQUEST", "status": 400,
                 "detail": "Cannot update these configs dynamically: [log.retention.ms]"}"""));
        assertThat(run("cluster", "config", "alter", "-s", "log.retention.ms=1000")).isNotEqualTo(ExitCode.OK);
        assertThat(err.toString()).contains("Cannot update these configs dynamically");
        assertThat(run("cluster", "config", "alter")).isEqualTo(ExitCode.USAGE);
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = SluiceCli.commandLine(Map.of(), Optional.empty(), Path.of("."),
                new ByteArrayInputStream(new byte[0]));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + gateway.getAddress().getPort()));
        return commandLine.execute(all.toArray(String[]::new));
    }
}
