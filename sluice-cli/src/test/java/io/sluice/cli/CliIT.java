package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The CLI against a real cluster (a coordinator, one partition service and a gateway, each its own JVM, from
 * {@link SluiceCluster}) with security on: every call goes over HTTP to the gateway with Basic credentials, as from
 * a terminal. Most calls sign in as the super user {@code admin} through {@code SLUICE_USER} and
 * {@code SLUICE_PASSWORD}; the ACL test as {@code alice}, the JWT test with tokens signed by a key made here. One node keeps it light; what is tested here is the CLI,
 * not replication.
 */
class CliIT {

    // Fixtures of this test only (SecurityIT's): their bcrypt hashes (cost 4) are in the users file.
    private static final String ADMIN_PASSWORD = "it-admin-Pw-7f3a";
    private static final String ALICE_PASSWORD = "it-alice-Pw-91c2";
    private static final String USERS = """
            admin:$2a$04$sv0sXGofxRM45V/YEJUqw.pBvYF3q6YjHoL.zQejPNxjKJqqpyula
            alice:$2a$04$oomAXcEZr1qThDlEE/WXwuHcu9Fjx7DN7RM3g.0/8SezqsyFLm7He
            """;
    private static final String CLUSTER_SECRET = "it-cluster-" + UUID.randomUUID();

    private static SluiceCluster cluster;
    private static SecurityFiles secrets;
    /** Signs the tests' JWTs (RS256); the gateway trusts its public key from a file. */
    private static KeyPair jwtKeys;

    @TempDir
    Path dir;

    @BeforeAll
    static void startCluster() throws IOException {
        secrets = SecurityFiles.create("sluice-cli-it");
        Path users = secrets.write("users", USERS);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            jwtKeys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Path jwtKey = secrets.write("jwt.pem", "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(jwtKeys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String importIt = secrets.importArgument(
                "sluice.security.enabled=true",
                "sluice.security.cluster-secret=" + CLUSTER_SECRET,
                "sluice.security.basic.users-file=" + users,
                "sluice.security.jwt.public-key-file=" + jwtKey,
                "sluice.security.super-users=User:admin",
                "sluice.security.stream-tokens.secret=it-stream-" + UUID.randomUUID(),
                "sluice.security.login-throttling.max-failures=1000");
        cluster = SluiceCluster.builder("cli").nodes(1).withGateway().clusterSecret(CLUSTER_SECRET)
                .jvmOptions(SluiceCluster.testJvm("256m"))
                .args(ServiceKind.COORDINATOR, importIt)
                .args(ServiceKind.PARTITION, importIt)
                .args(ServiceKind.GATEWAY, importIt)
                .start();
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (secrets != null) {
            secrets.close();
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
        // A topic just created may have no leader the gateway knows yet, and a stream of it is refused 503 (exit 5)
        // until it has: the first produce's answer says it has.
        assertThat(sluice("first\n", "produce", "live").exit()).isZero();
        CompletableFuture<Run> follower = CompletableFuture.supplyAsync(() ->
                sluice("", "consume", "live", "--follow", "-n", "1", "--template", "{offset}:{value}"));

        // The stream starts at the end: keep producing until the follower has seen one record.
        while (!follower.isDone()) {
            sluice("tick\n", "produce", "live");
            Thread.sleep(300);
        }
        Run run = follower.get(30, TimeUnit.SECONDS);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(1).first().asString().matches("\\d+:tick");
    }

    @Test
    void aTopicIsGrownAlteredListedDescribedAndDeleted() {
        assertThat(sluice("", "topic", "create", "lifecycle", "--partitions", "1").out())
                .isEqualTo("Created topic lifecycle: 1 partition, replication factor 1\n");

        Run grown = sluice("", "topic", "add-partitions", "lifecycle", "--total", "3");
        Run altered = sluice("", "topic", "alter", "lifecycle", "--set", "retention.ms=86400000");
        Run described = sluice("", "topic", "describe", "lifecycle");
        Run listed = sluice("", "topic", "list", "--name", "lifecycle");
        Run reverted = sluice("", "topic", "alter", "lifecycle", "--delete", "retention.ms");
        Run describedAgain = sluice("", "topic", "describe", "lifecycle", "-o", "json");
        Run deleted = sluice("", "topic", "delete", "lifecycle");
        Run gone = sluice("", "topic", "describe", "lifecycle");

        assertThat(grown.out()).isEqualTo("Topic lifecycle has 3 partitions\n");
        assertThat(altered.out()).isEqualTo("Altered topic lifecycle: retention.ms=86400000\n");
        assertThat(described.exit()).isZero();
        assertThat(described.lines().getFirst()).matches("Topic lifecycle \\(id .+\\): 3 partitions, replication "
                + "factor 1");
        assertThat(described.lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("retention.ms", "86400000", "no"));
        assertThat(listed.lines()).hasSize(2);
        assertThat(listed.lines().get(1).split("\\s+")).startsWith("lifecycle", "3", "1", "0", "0");
        assertThat(reverted.out()).isEqualTo("Altered topic lifecycle: retention.ms (default)\n");
        JsonNode json = Json.MAPPER.readTree(describedAgain.out());
        assertThat(json.path("partitions")).hasSize(3);
        assertThat(json.path("configs").valueStream().filter(c -> c.path("name").asString().equals("retention.ms"))
                .map(c -> c.path("is_default").asBoolean())).containsExactly(true);
        assertThat(deleted.out()).isEqualTo("Deleted topic lifecycle\n");
        assertThat(gone.exit()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void aProposalOnTheNodeThatHoldsATopicMovesNothingAndOneOnAnUnknownNodeIsNotFound() {
        sluice("", "topic", "create", "proposed", "--partitions", "2");

        Run proposed = sluice("", "reassignment", "propose", "--nodes", "1", "proposed");
        Run unknownNode = sluice("", "reassignment", "propose", "--nodes", "1,7", "proposed");

        assertThat(proposed.exit()).isZero();
        assertThat(proposed.lines().getFirst().split("\\s+")).containsExactly("TOPIC", "PARTITION", "CURRENT",
                "PROPOSED");
        assertThat(proposed.lines().subList(1, 3)).allSatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("proposed", line.split("\\s+")[1], "1", "1"));
        assertThat(proposed.lines().getLast()).isEqualTo("Nothing would move.");
        assertThat(unknownNode.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknownNode.err()).contains("UNKNOWN_NODE", "Node 7");
    }

    @Test
    void consumeStartsAtAnOffsetATimeOrTheLastRecordsOfOnePartition() throws InterruptedException {
        sluice("", "topic", "create", "positions", "--partitions", "2");
        sluice("a\nb\nc\n", "produce", "positions", "--partition", "0");
        Thread.sleep(50);
        Instant between = Instant.now();
        Thread.sleep(50);
        sluice("d\ne\n", "produce", "positions", "--partition", "0");
        String template = "{partition}/{offset}:{value}";

        Run fromOffset = sluice("", "consume", "positions", "--partition", "0", "--offset", "1", "-t", template);
        Run fromTime = sluice("", "consume", "positions", "--from-time", between.toString(), "-t", template);
        Run lastTwo = sluice("", "consume", "positions", "--partition", "0", "--last", "2", "-t", template);
        Run latest = sluice("", "consume", "positions", "--offset", "latest", "-t", template);
        Run otherPartition = sluice("", "consume", "positions", "--partition", "1", "-t", template);
        Run first = sluice("", "consume", "positions", "--partition", "0", "-n", "2", "-t", template);

        assertThat(fromOffset.lines()).containsExactly("0/1:b", "0/2:c", "0/3:d", "0/4:e");
        assertThat(fromTime.lines()).containsExactly("0/3:d", "0/4:e");
        assertThat(lastTwo.lines()).containsExactly("0/3:d", "0/4:e");
        assertThat(latest.exit()).isZero();
        assertThat(latest.out()).isEmpty();
        assertThat(otherPartition.exit()).isZero();
        assertThat(otherPartition.out()).isEmpty();
        assertThat(first.lines()).containsExactly("0/0:a", "0/1:b");
    }

    @Test
    void aProduceSentTwiceUnderOneIdempotencyKeyIsWrittenOnce() {
        sluice("", "topic", "create", "payments", "--partitions", "1");

        Run first = sluice("p1\np2\n", "produce", "payments", "--idempotency-key", "batch-7");
        Run again = sluice("p1\np2\n", "produce", "payments", "--idempotency-key", "batch-7");

        assertThat(first.exit()).isZero();
        assertThat(first.out()).isEqualTo("Produced 2 records to payments: partition 0 offsets 0-1\n");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(sluice("", "consume", "payments").lines()).containsExactly("p1", "p2");
    }

    @Test
    void binaryKeysAndValuesGoInAsBase64AndComeOutInTheFormatAsked() {
        sluice("", "topic", "create", "bytes", "--partitions", "1");
        // Key "k1" and value "hello" as base64; a JSON value beside them.
        sluice("azE=|aGVsbG8=\n", "produce", "bytes", "-K", "|", "--key-format", "binary", "--value-format",
                "binary");
        sluice("{\"n\":1}\n", "produce", "bytes", "--value-format", "json");

        Run asStrings = sluice("", "consume", "bytes", "--format", "string", "-t", "{key}={value} {value_format}");
        Run asBinary = sluice("", "consume", "bytes", "--format", "binary", "-n", "1", "-t", "{key}={value}");
        Run mixed = sluice("", "consume", "bytes", "--offset", "1", "--key-format", "string", "--value-format", "json",
                "-t", "{key} {value} {value_format}");

        assertThat(asStrings.lines()).containsExactly("k1=hello string", "null={\"n\":1} string");
        assertThat(asBinary.lines()).containsExactly("azE==aGVsbG8=");
        assertThat(mixed.lines()).containsExactly("null {\"n\":1} json");
    }

    @Test
    void progressGoesToStderrAndLeavesTheOutputAlone() {
        sluice("", "topic", "create", "metered", "--partitions", "1");

        Run produced = sluice("m1\nm2\nm3\n", "produce", "metered", "--progress");
        Run consumed = sluice("", "consume", "metered", "--progress");

        assertThat(produced.out()).isEqualTo("Produced 3 records to metered: partition 0 offsets 0-2\n");
        assertThat(produced.err()).matches("\\rproduced 3 records \\(\\d+/s\\)\n");
        assertThat(consumed.lines()).containsExactly("m1", "m2", "m3");
        assertThat(consumed.err()).matches("\\rconsumed 3 records \\(\\d+/s\\)\n");
    }

    @Test
    void aGroupIsListedThenItsOffsetsAndItselfDeleted() {
        sluice("", "topic", "create", "audit-log", "--partitions", "1");
        sluice("x\ny\n", "produce", "audit-log");
        sluice("", "consume", "audit-log", "--group", "auditors", "--offset", "earliest");

        Run listed = sluice("", "group", "list");
        Run offsetsDeleted = sluice("", "group", "delete", "auditors", "--topic", "audit-log");
        Run described = sluice("", "group", "describe", "auditors", "-o", "json");
        Run deleted = sluice("", "group", "delete", "auditors");
        Run listedAfter = sluice("", "group", "list");

        assertThat(listed.exit()).isZero();
        assertThat(listed.lines().getFirst().split("\\s+")).containsExactly("GROUP", "STATE", "MEMBERS", "TOPICS",
                "LAG");
        assertThat(listed.lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .startsWith("auditors", "EMPTY", "0"));
        assertThat(offsetsDeleted.out()).isEqualTo("Deleted the offsets of group auditors in topic audit-log\n");
        assertThat(Json.MAPPER.readTree(described.out()).path("partitions")).isEmpty();
        assertThat(deleted.out()).isEqualTo("Deleted group auditors\n");
        assertThat(listedAfter.lines()).noneMatch(line -> line.startsWith("auditors "));
    }

    @Test
    void aShareGroupIsListedDescribedResetAndDeletedAndBothAreRefusedWhileRecordsAreAcquired() throws Exception {
        sluice("", "topic", "create", "cli-jobs", "--partitions", "1");
        // The first take creates the share-partition at the high watermark (0): the records produced next are taken.
        asAdmin("/v1/share-groups/cli-workers/acquisitions", "{\"topic\": \"cli-jobs\", \"member_id\": \"w1\"}");
        sluice("a\nb\nc\n", "produce", "cli-jobs");
        JsonNode taken = asAdmin("/v1/share-groups/cli-workers/acquisitions",
                "{\"topic\": \"cli-jobs\", \"member_id\": \"w1\", \"max_records\": 3}");
        assertThat(taken.path("records").size()).isEqualTo(3);

        Run listed = sluice("", "share-group", "list");
        Run described = sluice("", "share-group", "describe", "cli-workers");
        Run resetRefused = sluice("", "share-group", "reset", "cli-workers", "--topic", "cli-jobs", "--to-latest");
        Run deleteRefused = sluice("", "share-group", "delete", "cli-workers");
        asAdmin("/v1/share-groups/cli-workers/acknowledgements", "{\"member_id\": \"w1\", \"acknowledgements\": [{"
                + "\"topic\": \"cli-jobs\", \"partition\": 0, \"first_offset\": 0, \"last_offset\": 2,"
                + " \"type\": \"accept\"}]}");
        Run dryRun = sluice("", "share-group", "reset", "cli-workers", "--topic", "cli-jobs", "--to-earliest",
                "--dry-run");
        Run reset = sluice("", "share-group", "reset", "cli-workers", "--topic", "cli-jobs", "--to-offset", "1");
        Run afterReset = sluice("", "share-group", "describe", "cli-workers", "-o", "json");
        Run deleted = sluice("", "share-group", "delete", "cli-workers");
        Run gone = sluice("", "share-group", "describe", "cli-workers");

        assertThat(listed.lines().getFirst().split("\\s+")).containsExactly("GROUP", "PARTITIONS", "IN-FLIGHT",
                "ACQUIRED");
        assertThat(listed.lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("cli-workers", "1", "3", "3"));
        assertThat(described.out()).startsWith("Share group cli-workers: 0 members, 1 taker holding records, lag 3\n");
        assertThat(described.lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .containsExactly("cli-jobs", "0", "0", "3", "3", "0", "3", "0", "0", "1"));
        assertThat(resetRefused.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(resetRefused.err()).contains("NON_EMPTY_GROUP");
        assertThat(deleteRefused.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(dryRun.lines()).hasSize(3);
        assertThat(dryRun.lines().getFirst().split("\\s+")).containsExactly("TOPIC", "PARTITION", "CURRENT", "NEW",
                "LAG");
        assertThat(dryRun.lines().get(1).split("\\s+")).containsExactly("cli-jobs", "0", "3", "0", "3");
        assertThat(dryRun.lines().get(2))
                .isEqualTo("Dry run: nothing changed (without --dry-run, share group cli-workers moves to NEW)");
        assertThat(reset.exit()).as(reset.err()).isZero();
        assertThat(Json.MAPPER.readTree(afterReset.out()).path("partitions").get(0).path("start_offset").asLong())
                .isEqualTo(1);
        assertThat(deleted.out()).isEqualTo("Deleted share group cli-workers\n");
        assertThat(gone.exit()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void aShareGroupsConfigsAreListedSetAndRemovedAndABadValueChangesNothing() throws Exception {
        Run none = sluice("", "share-group", "configs", "cli-configured");
        Run altered = sluice("", "share-group", "alter", "cli-configured", "--set", "share.delivery.count.limit=3",
                "--set", "share.record.lock.duration.ms=60000");
        Run refused = sluice("", "share-group", "alter", "cli-configured", "--set", "share.delivery.count.limit=3",
                "--set", "share.isolation.level=read_committed");
        Run set = sluice("", "share-group", "configs", "cli-configured");
        Run removed = sluice("", "share-group", "alter", "cli-configured", "--delete", "share.delivery.count.limit");
        Run all = sluice("", "share-group", "configs", "cli-configured", "--all", "-o", "json");

        assertThat(none.out()).isEqualTo("Every config at its default (--all lists them).\n");
        assertThat(altered.out()).isEqualTo("Altered share group cli-configured: share.delivery.count.limit=3,"
                + " share.record.lock.duration.ms=60000\n");
        assertThat(refused.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).contains("INVALID_CONFIG");
        assertThat(set.lines().getFirst().split("\\s+")).containsExactly("CONFIG", "VALUE", "DEFAULT");
        assertThat(set.lines().subList(1, set.lines().size())).map(line -> List.of(line.split("\\s+")))
                .containsExactly(List.of("share.delivery.count.limit", "3", "no"),
                        List.of("share.record.lock.duration.ms", "60000", "no"));
        assertThat(removed.out()).isEqualTo("Altered share group cli-configured: share.delivery.count.limit"
                + " (default)\n");
        Map<String, String> values = new java.util.TreeMap<>();
        Json.MAPPER.readTree(all.out()).path("configs").forEach(config ->
                values.put(config.path("name").asString(), config.path("value").asString()));
        assertThat(values).containsEntry("share.delivery.count.limit", "5")
                .containsEntry("share.record.lock.duration.ms", "60000")
                .containsEntry("share.isolation.level", "read_uncommitted");
    }

    /** A call to the gateway as the super user, for what the CLI does not do (a share group member's calls). */
    private JsonNode asAdmin(String path, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        cluster.gatewayUrl().resolve(path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    @Test
    void clusterInfoNamesTheCoordinatorAndCountsNodesAndTopics() {
        Run info = sluice("", "cluster", "info");
        Run json = sluice("", "cluster", "info", "-o", "json");

        assertThat(info.exit()).isZero();
        assertThat(info.lines().getFirst().split("\\s+")).containsExactly("FIELD", "VALUE");
        assertThat(info.lines()).anySatisfy(line -> assertThat(line).matches("coordinator +http://\\S+ \\(.+, "
                + "reachable\\)"));
        assertThat(info.lines()).anySatisfy(line -> assertThat(line).matches("nodes +1 live of 1"));
        assertThat(Json.MAPPER.readTree(json.out()).path("live_node_count").asInt()).isEqualTo(1);
    }

    @Test
    void aSchemaIsRegisteredListedDiffedCheckedConfiguredAndDeleted() throws IOException {
        String user = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"cli\",\"fields\":["
                + "{\"name\":\"name\",\"type\":\"string\"}%s]}";
        Path v1 = Files.writeString(dir.resolve("v1.avsc"), user.formatted(""));
        Path v2 = Files.writeString(dir.resolve("v2.avsc"),
                user.formatted(",{\"name\":\"age\",\"type\":\"int\",\"default\":0}"));
        Path broken = Files.writeString(dir.resolve("broken.avsc"), user.replace("string", "long").formatted(""));

        Run first = sluice("", "schema", "register", "cli-users-value", v1.toString());
        Run second = sluice("", "schema", "register", "cli-users-value", v2.toString());
        Run subjects = sluice("", "schema", "subjects", "--prefix", "cli-");
        Run versions = sluice("", "schema", "versions", "cli-users-value");
        Run diff = sluice("", "schema", "diff", "cli-users-value", "1", "2");
        Run check = sluice("", "schema", "check", "cli-users-value", broken.toString());
        Run get = sluice("", "schema", "get", "cli-users-value", "1");
        Run level = sluice("", "schema", "config", "cli-users-value", "--set", "full");
        Run missing = sluice("", "schema", "get", "cli-nobody-value");
        Run deleted = sluice("", "schema", "delete", "cli-users-value");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).matches("Registered under cli-users-value: schema id \\d+, version 1\n");
        assertThat(second.out()).contains("version 2");
        assertThat(subjects.out()).contains("cli-users-value").contains("AVRO");
        assertThat(versions.lines()).hasSize(3);
        assertThat(diff.lines()).contains("+    \"name\" : \"age\",");
        assertThat(check.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(check.out()).startsWith("Not compatible with cli-users-value:").contains("TYPE_MISMATCH");
        assertThat(get.out()).startsWith("cli-users-value version 1").doesNotContain("age");
        assertThat(level.out()).isEqualTo("cli-users-value is now: FULL\n");
        assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(missing.err()).startsWith("40401 (404): Subject 'cli-nobody-value' not found.");
        assertThat(deleted.out()).isEqualTo("Deleted versions of cli-users-value: [1, 2]\n");
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
    void withAcksZeroRecordsAreSentAndNotCalledWritten() {
        sluice("", "topic", "create", "fire-and-forget", "--partitions", "1");

        Run run = sluice("a\nb\n", "produce", "fire-and-forget", "--acks", "0");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("Sent 2 records to fire-and-forget (acks=0: not confirmed)\n");
    }

    @Test
    void aConfigTheTopicDoesNotKnowIsRefusedWithExitOne() {
        sluice("", "topic", "create", "configured", "--partitions", "1");

        Run run = sluice("", "topic", "alter", "configured", "--set", "retention.msec=1000");

        assertThat(run.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err()).startsWith("INVALID_CONFIG (400): Unknown topic config 'retention.msec'");
    }

    @Test
    void anAclAddedThroughTheCliIsEnforcedAndRemoved() throws IOException {
        sluice("", "topic", "create", "ledger", "--partitions", "1");
        sluice("entry\n", "produce", "ledger");
        Path password = Files.writeString(dir.resolve("alice.password"), ALICE_PASSWORD + "\n");
        String[] asAlice = {"--user", "alice", "--password-file", password.toString()};

        Run added = sluice("", "acl", "add", "--principal", "User:alice", "--operation", "READ", "--topic", "ledger");
        Run read = sluiceWith(Map.of(), "", concat(asAlice, "consume", "ledger"));
        Run write = sluiceWith(Map.of(), "more\n", concat(asAlice, "produce", "ledger"));
        Run removed = sluice("", "acl", "remove", "--principal", "User:alice");
        Run listed = sluice("", "acl", "list", "--principal", "User:alice");
        Run readAfter = sluiceWith(Map.of(), "", concat(asAlice, "consume", "ledger"));

        assertThat(added.out()).isEqualTo("Added: User:alice ALLOW READ on TOPIC ledger\n");
        assertThat(read.exit()).isZero();
        assertThat(read.lines()).containsExactly("entry");
        assertThat(write.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(write.err()).isEqualTo("TOPIC_AUTHORIZATION_FAILED (403): User:alice may not WRITE topic 'ledger'\n");
        assertThat(removed.lines()).containsExactly("Removed:",
                "PRINCIPAL   RESOURCE  NAME    PATTERN  OPERATION  PERMISSION",
                "User:alice  TOPIC     ledger  LITERAL  READ       ALLOW");
        assertThat(listed.out()).isEqualTo("No ACLs match\n");
        assertThat(readAfter.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(readAfter.err()).startsWith("TOPIC_AUTHORIZATION_FAILED (403)");
    }

    /**
     * A SCRAM user made with the CLI is listed with its mechanism and iterations and signs in over HTTP Basic with its
     * password; bad iterations are refused (exit 1) and store nothing; once deleted, it signs in no more.
     */
    @Test
    void aScramUserMadeThroughTheCliSignsInUntilItsCredentialIsDeleted() throws IOException {
        Path password = Files.writeString(dir.resolve("dana.password"), "dana-" + UUID.randomUUID() + "\n");
        String[] asDana = {"--user", "dana", "--password-file", password.toString()};

        Run set = sluice("", "user", "set-scram", "dana", "--mechanism", "SCRAM-SHA-512", "--new-password-file",
                password.toString(), "--iterations", "8192");
        Run tooMany = sluice("", "user", "set-scram", "dana", "--mechanism", "SCRAM-SHA-256", "--new-password-file",
                password.toString(), "--iterations", "20000");
        Run listed = sluice("", "user", "list");
        Run signedIn = sluiceWith(Map.of(), "", concat(asDana, "topic", "list"));
        Run deleted = sluice("", "user", "delete-scram", "dana", "--mechanism", "SCRAM-SHA-512");
        Run afterwards = sluiceWith(Map.of(), "", concat(asDana, "topic", "list"));

        assertThat(set.out()).isEqualTo("Set the SCRAM-SHA-512 credential of User:dana (8192 iterations)\n");
        assertThat(tooMany.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(tooMany.err()).startsWith("UNACCEPTABLE_CREDENTIAL (400)");
        assertThat(listed.lines()).anySatisfy(line -> assertThat(line.split("\\s{2,}")).containsExactly("User:dana",
                "SCRAM-SHA-512 (8192 iterations)", "no"));
        assertThat(signedIn.exit()).isZero();
        assertThat(deleted.out()).isEqualTo("Deleted the SCRAM-SHA-512 credential of User:dana\n");
        assertThat(afterwards.exit()).isNotZero();
        assertThat(afterwards.err()).contains("SASL_AUTHENTICATION_FAILED");
    }

    @Test
    void aClientQuotaIsSetListedAndRemovedThroughTheCliAndABadOneRefused() {
        Run set = sluice("", "quota", "set", "--for-user", "carol", "--for-default-client-id", "--producer-byte-rate",
                "1048576", "--request-rate", "20");
        Run negative = sluice("", "quota", "set", "--for-client-id", "app", "--consumer-byte-rate", "-1");
        Run listed = sluice("", "quota", "list");
        Run removed = sluice("", "quota", "remove", "--for-user", "carol", "--for-default-client-id", "--key",
                "request_rate");
        Run removedAll = sluice("", "quota", "remove", "--for-user", "carol", "--for-default-client-id");

        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.lines()).containsExactly("USER   CLIENT ID  KEY                 RATE",
                "carol  <default>  producer_byte_rate  1048576.0",
                "carol  <default>  request_rate        20.0");
        assertThat(negative.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(negative.err()).startsWith("INVALID_REQUEST (400): consumer_byte_rate must be a positive number");
        assertThat(listed.lines()).startsWith("USER   CLIENT ID  KEY                 RATE",
                "carol  <default>  producer_byte_rate  1048576.0",
                "carol  <default>  request_rate        20.0", "");
        assertThat(listed.out()).contains("CONFIGURED FOR", "(defaults)");
        assertThat(removed.lines()).containsExactly("USER   CLIENT ID  KEY                 RATE",
                "carol  <default>  producer_byte_rate  1048576.0");
        assertThat(removedAll.out()).isEqualTo("No quotas set at run time\n");
    }

    @Test
    void aTransactionalIdAclIsAddedListedAndRemovedThroughTheCli() {
        Run added = sluice("", "acl", "add", "--principal", "User:bob", "--operation", "WRITE", "--transactional-id",
                "bob-", "--prefixed");
        Run listed = sluice("", "acl", "list", "--transactional-id", "bob-", "--prefixed");
        Run removed = sluice("", "acl", "remove", "--transactional-id", "bob-", "--prefixed");

        assertThat(added.out()).isEqualTo("Added: User:bob ALLOW WRITE on TRANSACTIONAL_ID bob- (prefix)\n");
        assertThat(listed.lines()).hasSize(2);
        assertThat(listed.lines().get(1).split("\\s+")).containsExactly("User:bob", "TRANSACTIONAL_ID", "bob-",
                "PREFIXED", "WRITE", "ALLOW");
        assertThat(removed.lines()).hasSize(3).first().isEqualTo("Removed:");
    }

    @Test
    void transactionalIdsAreListedAndDescribedAsTablesOrJsonAndAnUnknownOneExitsFour() throws Exception {
        HttpResponse<String> begun = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        cluster.gatewayUrl().resolve("/v1/transactions"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"transactional_id\": \"cli-txn-1\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        long producerId = Json.MAPPER.readTree(begun.body()).path("producer_id").asLong();

        Run listed = sluice("", "transaction", "list");
        Run otherStates = sluice("", "transaction", "list", "--state", "ongoing,complete_commit");
        Run asJson = sluice("", "transaction", "list", "--producer-id", Long.toString(producerId), "-o", "json");
        Run described = sluice("", "transaction", "describe", "cli-txn-1");
        Run unknown = sluice("", "transaction", "describe", "cli-txn-none");
        Run badState = sluice("", "transaction", "list", "--state", "RUNNING");

        assertThat(listed.exit()).isZero();
        assertThat(listed.lines().getFirst().split("\\s+")).containsExactly("TRANSACTIONAL-ID", "PRODUCER-ID", "EPOCH",
                "STATE", "TIMEOUT-MS", "STARTED", "PARTITIONS");
        assertThat(listed.lines()).anySatisfy(line -> assertThat(line.split("\\s+")).containsExactly("cli-txn-1",
                Long.toString(producerId), "0", "EMPTY", "60000", "-", "-"));
        assertThat(otherStates.lines()).noneMatch(line -> line.startsWith("cli-txn-1"));
        assertThat(Json.MAPPER.readTree(asJson.out()).path("transactional_ids")).singleElement()
                .satisfies(txn -> assertThat(txn.path("transactional_id").asString()).isEqualTo("cli-txn-1"));
        assertThat(described.exit()).isZero();
        assertThat(described.lines().getFirst()).isEqualTo("Transactional id cli-txn-1: EMPTY, producer id "
                + producerId + ", epoch 0, timeout 60000 ms");
        assertThat(unknown.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknown.err()).isEqualTo("TRANSACTIONAL_ID_NOT_FOUND (404): No transactional id cli-txn-none\n");
        assertThat(badState.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(badState.err()).startsWith("INVALID_REQUEST (400): state RUNNING is not one of");
    }

    @Test
    void withoutCredentialsOrWithAWrongPasswordTheGatewaySaysSoInOneLine() {
        Run anonymous = sluiceWith(Map.of(), "", "topic", "list");
        Run wrong = sluiceWith(Map.of(), "", "topic", "list", "--user", "admin:not-the-password");

        assertThat(anonymous.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(anonymous.err()).isEqualTo("SASL_AUTHENTICATION_FAILED (401): Authentication required\n");
        assertThat(wrong.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(wrong.err()).isEqualTo("SASL_AUTHENTICATION_FAILED (401): Authentication failed\n");
    }

    @Test
    void aJwtFromAFileOrTheEnvironmentIsSentAsABearerToken() throws IOException {
        Path token = Files.writeString(dir.resolve("token"), jwt("admin", Instant.now().plusSeconds(600)) + "\n");

        Run fromFile = sluiceWith(Map.of(), "", "cluster", "nodes", "--token-file", token.toString());
        Run expired = sluiceWith(Map.of("SLUICE_TOKEN", jwt("admin", Instant.now().minusSeconds(600))), "",
                "cluster", "nodes");

        assertThat(fromFile.exit()).isZero();
        assertThat(fromFile.lines()).hasSize(2).first().asString().startsWith("NODE  STATUS");
        assertThat(expired.exit()).isEqualTo(ExitCode.REFUSED);
        assertThat(expired.err()).startsWith("SASL_AUTHENTICATION_FAILED (401)").hasLineCount(1);
    }

    /** A JWT signed with the key the gateway trusts: RS256, {@code sub} and {@code exp}. */
    private static String jwt(String subject, Instant expiry) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(("{\"sub\":\"" + subject + "\",\"iat\":"
                + expiry.minusSeconds(1200).getEpochSecond() + ",\"exp\":" + expiry.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(jwtKeys.getPrivate());
            rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + base64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] first, String... rest) {
        return Stream.concat(Stream.of(first), Stream.of(rest)).toArray(String[]::new);
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

    /** The CLI as the super user, through the environment. */
    private Run sluice(String stdin, String... args) {
        return sluiceWith(Map.of("SLUICE_USER", "admin", "SLUICE_PASSWORD", ADMIN_PASSWORD), stdin, args);
    }

    private Run sluiceWith(Map<String, String> environment, String stdin, String... args) {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("SLUICE_URL", cluster.gatewayUrl().toString());
        // No profile file of the user running the tests applies: point the variable at one that is not there.
        variables.put("SLUICE_PROFILE_FILE", dir.resolve("no-profiles.properties").toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SluiceCli.commandLine(variables, Optional.empty(), dir,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
