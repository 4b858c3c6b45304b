package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.ApiClient;
import io.sluice.client.ApiException;
import io.sluice.client.api.AdminApi;
import io.sluice.client.api.ConsumeApi;
import io.sluice.client.api.DocsApi;
import io.sluice.client.api.GroupsApi;
import io.sluice.client.api.ProduceApi;
import io.sluice.client.api.SecurityApi;
import io.sluice.client.model.ScramPassword;
import io.sluice.client.model.ScramUser;
import io.sluice.client.api.ShareGroupsApi;
import io.sluice.client.model.AcknowledgeRequest;
import io.sluice.client.model.AcknowledgeType;
import io.sluice.client.model.Acknowledgement;
import io.sluice.client.model.AcknowledgementResult;
import io.sluice.client.model.AcquireRequest;
import io.sluice.client.model.AcquiredRecord;
import io.sluice.client.model.Acquisitions;
import io.sluice.client.model.AclBinding;
import io.sluice.client.model.AclOperation;
import io.sluice.client.model.AclPatternType;
import io.sluice.client.model.AclPermission;
import io.sluice.client.model.AclResourceType;
import io.sluice.client.model.AuditEntriesEntriesInner;
import io.sluice.client.model.CommitRequest;
import io.sluice.client.model.ConfigEntry;
import io.sluice.client.model.ConfigUpdate;
import io.sluice.client.model.ConfigValue;
import io.sluice.client.model.DeletedRecords;
import io.sluice.client.model.ErrorCode;
import io.sluice.client.model.GroupSummary;
import io.sluice.client.model.GroupView;
import io.sluice.client.model.JoinRequest;
import io.sluice.client.model.MemberAssignment;
import io.sluice.client.model.MemberPoll;
import io.sluice.client.model.NewPartitionCount;
import io.sluice.client.model.NewTopic;
import io.sluice.client.model.PartitionView;
import io.sluice.client.model.PollRequest;
import io.sluice.client.model.Problem;
import io.sluice.client.model.ProduceBatch;
import io.sluice.client.model.ProduceRecord;
import io.sluice.client.model.ProduceResponse;
import io.sluice.client.model.ReadPage;
import io.sluice.client.model.Record;
import io.sluice.client.model.RecordFormat;
import io.sluice.client.model.RecordResult;
import io.sluice.client.model.ResetRequest;
import io.sluice.client.model.StreamToken;
import io.sluice.client.model.TopicSummary;
import io.sluice.client.model.TopicView;
import io.sluice.client.model.UsersUsersInner;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A Java client generated from the gateway's OpenAPI document (openapi-generator, at test-compile time) works against
 * a real cluster, calling every operation of the document: it creates a topic, produces a record and reads it back,
 * with the types the document promises. A document whose schemas do not match what the gateway answers fails here,
 * also by a property it does not declare. The security operations (stream tokens and the audit need security on) run
 * against a second gateway of the cluster, secured with Basic users.
 */
@ExtendWith(SharedGatewayCluster.class)
class GeneratedClientIT {

    private static final String SECURED_GATEWAY = "gateway-secured";
    private static final String ADMIN_PASSWORD = "generated-admin-" + UUID.randomUUID();

    @TempDir
    static Path securityFiles;

    private static GatewayCluster cluster;
    private static ApiClient client;
    private static ApiClient secured;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) throws IOException {
        cluster = shared;
        client = strictClient(cluster.gatewayUrl());
        Path users = Files.writeString(securityFiles.resolve("users"),
                "admin:" + new BCryptPasswordEncoder(4).encode(ADMIN_PASSWORD) + "\n");
        secured = strictClient(cluster.startGateway(SECURED_GATEWAY, "--sluice.security.enabled=true",
                "--sluice.security.basic.users-file=" + users, "--sluice.security.super-users=User:admin",
                "--sluice.security.stream-tokens.secret=generated-stream-tokens-" + UUID.randomUUID()));
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        secured.setRequestInterceptor(request -> request.header("Authorization", basic));
    }

    private static ApiClient strictClient(String url) {
        ApiClient strict = new ApiClient();
        strict.updateBaseUri(url);
        // The generator's default ignores properties the document does not declare: an answer carrying one would pass.
        strict.setObjectMapper(ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true));
        return strict;
    }

    @AfterAll
    static void stopSecuredGateway() {
        if (secured != null) {
            cluster.processes().stop(SECURED_GATEWAY);
        }
    }

    @Test
    void aGeneratedClientCreatesATopicProducesARecordAndReadsItBack() throws ApiException {
        AdminApi admin = new AdminApi(client);
        TopicView created = admin.createTopic(new NewTopic().name("generated").partitionCount(2).replicationFactor(1)
                .configs(List.of(new ConfigValue().name("retention.ms").value("3600000"))));
        assertThat(created.getPartitionCount()).isEqualTo(2);
        cluster.awaitServed("generated", 2);

        ProduceResponse produced = new ProduceApi(client).produce("generated", new ProduceBatch()
                        .keyFormat(RecordFormat.STRING)
                        .records(List.of(new ProduceRecord().key("user-1").value(Map.of("clicks", 3)).partition(1)
                                .headers(Map.of("trace", "abc")))),
                null, "all", null, null, null, null, null, null, null, null, null, null, null, null, null);
        RecordResult result = produced.getResults().getFirst();
        assertThat(result.getPartition()).isEqualTo(1);
        assertThat(result.getOffset()).isZero();

        ReadPage page = new ConsumeApi(client).readPartition("generated", 1, "earliest", null, null, null, null, null,
                null, null, null, null, RecordFormat.STRING, null, null, null);
        Record record = page.getRecords().getFirst();
        assertThat(record.getKey()).isEqualTo("user-1");
        assertThat(record.getKeyFormat()).isEqualTo(RecordFormat.STRING);
        assertThat(record.getValue()).isEqualTo(Map.of("clicks", 3));
        assertThat(record.getHeaders().getFirst().getValue()).isEqualTo("abc");
        assertThat(page.getNextOffset()).isEqualTo(1);
        assertThat(page.getHighWatermark()).isEqualTo(1);

        // A description leaves out the offsets of a leader that did not answer within 3 s (a loaded machine's first
        // such answer took longer): ask until it has them.
        PartitionView partition = await("the partition described with its offsets").atMost(Duration.ofSeconds(60))
                .until(() -> admin.describePartition("generated", 1), described -> described.getHighWatermark() != null);
        assertThat(partition.getHighWatermark()).isEqualTo(1);
        assertThat(partition.getLogEndOffset()).isEqualTo(1);
        assertThat(new ConsumeApi(client).offsetForTime(String.valueOf(record.getTimestamp()), "generated", 1)
                .getOffset()).isZero();
    }

    /**
     * Topic administration, the cluster, and a consumer group from join to deletion, each answer read by the strict
     * client: listed, configured, read as a topic, grown; a polling member joins, polls records, commits and leaves; the
     * group described and listed, a reset's dry run, its offsets of the topic deleted, the group and the topic deleted.
     */
    @Test
    void theAdministrationAndGroupOperationsAnswerAsTheDocumentDeclares() throws ApiException {
        AdminApi admin = new AdminApi(client);
        GroupsApi groups = new GroupsApi(client);
        createTopicWithRecords("operations", "a", "b");

        assertThat(admin.listTopics("oper").getTopics()).extracting(TopicSummary::getName).containsExactly("operations");
        assertThat(admin.listPartitions("operations").getPartitions()).hasSize(1);
        assertThat(admin.describeTopicConfigDefaults().getConfigs()).extracting(ConfigEntry::getName)
                .contains("retention.ms");
        admin.alterTopicConfigs("operations", new ConfigUpdate().configs(List.of(
                new ConfigValue().name("retention.ms").value("7200000"))));
        assertThat(admin.describeTopicConfigs("operations").getConfigs())
                .filteredOn(config -> config.getName().equals("retention.ms"))
                .extracting(ConfigEntry::getValue).containsExactly("7200000");
        assertThat(new ConsumeApi(client).readTopic("operations", "earliest", null, null, null, null, null, null, null,
                null, null, null, null, null, null).getRecords()).extracting(Record::getValue).containsExactly("a", "b");
        assertThat(admin.listNodes().getNodes()).as("the shared cluster's partition services").hasSize(3);
        assertThat(admin.describeCluster(null).getLiveNodeCount()).isEqualTo(3);

        MemberPoll member = groups.joinGroup("operations-group", new JoinRequest().topics(List.of("operations"))
                .autoOffsetReset(JoinRequest.AutoOffsetResetEnum.EARLIEST));
        String memberId = member.getMemberId();
        String cursor = member.getCursor();
        List<Object> delivered = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (delivered.size() < 2) {
            assertThat(System.nanoTime()).as("two records polled within 60 s, had %s", delivered).isLessThan(deadline);
            MemberPoll polled = groups.pollGroup("operations-group", memberId, new PollRequest().cursor(cursor)
                    .waitMs(500L));
            polled.getRecords().forEach(record -> delivered.add(record.getValue()));
            cursor = polled.getCursor();
        }
        assertThat(delivered).containsExactly("a", "b");
        // The document declares offsets nullable, so the generated CommitRequest starts it null, not [] (which the
        // gateway refuses beside a cursor, as BadRequests pins): a commit by cursor is just the cursor.
        groups.commitOffsets("operations-group", new CommitRequest().cursor(cursor));
        groups.leaveGroup("operations-group", memberId, cursor);
        assertThat(groups.describeGroup("operations-group").getPartitions()).singleElement()
                .satisfies(lag -> assertThat(lag.getCommittedOffset()).isEqualTo(2));
        assertThat(groups.listGroups().getGroups()).extracting(GroupSummary::getGroupId).contains("operations-group");
        // Likewise partitions starts null, every partition ([] is refused, never read as all of them).
        assertThat(groups.resetOffsets("operations-group", new ResetRequest().topic("operations")
                .to(ResetRequest.ToEnum.EARLIEST).dryRun(true)).getDryRun()).isTrue();
        groups.deleteGroupOffsets("operations-group", "operations");
        groups.deleteGroup("operations-group");

        assertThat(admin.addPartitions("operations", new NewPartitionCount().partitionCount(2)).getPartitionCount())
                .isEqualTo(2);
        admin.deleteTopic("operations");
    }

    /**
     * The SSE group stream, read by the generated operation to its end (the member removed from the group): its
     * assignment, record and error events carry the schemas the document names. A member subscribed by pattern joins
     * without nulling the generated request's topics.
     */
    @Test
    void aGroupStreamsEventsOfTheSchemasTheDocumentNames() throws Exception {
        GroupsApi groups = new GroupsApi(client);
        createTopicWithRecords("streamed", "a", "b");

        CompletableFuture<File> stream = CompletableFuture.supplyAsync(() -> {
            try {
                return groups.streamGroup("streamed-group", "streamed", null, true, 100L, "earliest", null, null, null,
                        null, null, null, null);
            } catch (ApiException e) {
                throw new CompletionException(e);
            }
        });
        // Both records were handed to the connection once the stream's automatic commit passed them. The stream is
        // opened on another thread, so the group may not exist yet at the first look: only its absence is waited out.
        GroupView described = await("the stream's member to commit both records").atMost(Duration.ofSeconds(60))
                .ignoreExceptionsMatching(e -> e instanceof ApiException api && api.getCode() == 404)
                .until(() -> groups.describeGroup("streamed-group"), group -> group.getMembers().size() == 1
                        && group.getPartitions().size() == 1
                        && Long.valueOf(2).equals(group.getPartitions().getFirst().getCommittedOffset()));
        MemberPoll byPattern = groups.joinGroup("patterned-group", new JoinRequest().topicPattern("stream.*")
                .autoOffsetReset(JoinRequest.AutoOffsetResetEnum.EARLIEST));
        groups.leaveGroup("patterned-group", byPattern.getMemberId(), null);
        groups.leaveGroup("streamed-group", described.getMembers().getFirst().getMemberId(), null);

        List<SseEvent> events = SseEvent.parse(Files.readString(stream.get(60, TimeUnit.SECONDS).toPath()));
        ObjectMapper strict = client.getObjectMapper();
        assertThat(events).extracting(SseEvent::type).containsExactly("assignment", "record", "record", "error");
        MemberAssignment assignment = strict.readValue(events.getFirst().data(), MemberAssignment.class);
        assertThat(assignment.getMemberId()).isEqualTo(described.getMembers().getFirst().getMemberId());
        assertThat(assignment.getAssignment()).singleElement().satisfies(owned -> {
            assertThat(owned.getTopic()).isEqualTo("streamed");
            assertThat(owned.getPartitions()).containsExactly(0);
        });
        assertThat(events.subList(1, 3)).extracting(event -> strict.readValue(event.data(), Record.class).getValue())
                .containsExactly("a", "b");
        assertThat(strict.readValue(events.getLast().data(), Problem.class).getErrorCode())
                .isEqualTo(ErrorCode.UNKNOWN_MEMBER);
    }

    /** DeleteRecords, and the three views of the document itself, which a generated client reads as bytes. */
    @Test
    void theRecordsDeletionAndTheDocumentsAnswerAsTheDocumentDeclares() throws Exception {
        createTopicWithRecords("deleted", "a", "b");

        DeletedRecords deleted = new AdminApi(client).deleteRecords(1L, "deleted", 0, null);
        assertThat(deleted.getLowWatermark()).isEqualTo(1);
        assertThat(new ConsumeApi(client).readPartition("deleted", 0, "earliest", null, null, null, null, null, null,
                null, null, null, null, null, null, null).getRecords()).extracting(Record::getValue).containsExactly("b");

        DocsApi docs = new DocsApi(client);
        String maintained;
        try (var in = GeneratedClientIT.class.getResourceAsStream("/io/sluice/gateway/docs/openapi.yaml")) {
            maintained = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(docs.openApiYaml().toPath())).isEqualTo(maintained);
        assertThat(docs.openApiJson()).isInstanceOfSatisfying(Map.class, json -> assertThat(json)
                .containsEntry("openapi", "3.1.0").containsKeys("info", "paths", "components"));
        assertThat(Files.readString(docs.apiDocs().toPath())).contains("SwaggerUIBundle", "/v1/openapi.yaml");
    }

    /**
     * ACLs created, listed and deleted, a stream token minted and the audit read, as the secured gateway's super user.
     */
    @Test
    void theSecurityOperationsAnswerAsTheDocumentDeclares() throws ApiException {
        SecurityApi security = new SecurityApi(secured);
        AclBinding acl = new AclBinding().principal("User:alice").resourceType(AclResourceType.TOPIC)
                .resourceName("generated-").patternType(AclPatternType.PREFIXED).operation(AclOperation.READ)
                .permission(AclPermission.ALLOW);

        assertThat(security.createAcl(acl)).isEqualTo(acl);
        assertThat(security.listAcls("User:alice", null, null, null, null, null).getAcls()).containsExactly(acl);
        assertThat(security.deleteAcls("User:alice", AclResourceType.TOPIC, null, null, null, null).getAcls())
                .containsExactly(acl);
        assertThat(security.listAcls("User:alice", null, null, null, null, null).getAcls()).isEmpty();

        StreamToken token = security.mintStreamToken();
        assertThat(token.getPrincipal()).isEqualTo("User:admin");
        assertThat(token.getToken()).isNotBlank();
        assertThat(token.getExpiresAt()).isAfter(OffsetDateTime.now());

        assertThat(security.listAuditEntries(10, null, null, null, null, null).getEntries())
                .extracting(AuditEntriesEntriesInner::getRequest).startsWith("DELETE /v1/acls", "POST /v1/acls");
        assertThat(security.listAuditEntries(10, "User:admin", "admin", "SUCCEEDED", "CLUSTER", null).getEntries())
                .extracting(AuditEntriesEntriesInner::getRequest).startsWith("DELETE /v1/acls", "POST /v1/acls");
        assertThat(security.listAuditEntries(10, "User:nobody", null, null, null, null).getEntries()).isEmpty();
        assertThat(security.listUsers().getUsers()).extracting(UsersUsersInner::getPrincipal)
                .contains("User:admin");
        assertThat(security.listUsers().getSuperUsers()).containsExactly("User:admin");
        assertThat(security.listQuotas().getUnlimited()).containsExactly("User:admin");

        ScramUser carol = security.putScramCredential("generated-carol", "SCRAM-SHA-512",
                new ScramPassword().password("carol-" + UUID.randomUUID()).iterations(8192));
        assertThat(carol.getPrincipal()).isEqualTo("User:generated-carol");
        assertThat(carol.getCredentials()).singleElement().satisfies(credential -> {
            assertThat(credential.getMechanism()).hasToString("SCRAM-SHA-512");
            assertThat(credential.getIterations()).isEqualTo(8192);
        });
        assertThat(security.listUsers().getScramUsers()).extracting(ScramUser::getPrincipal)
                .contains("User:generated-carol");
        security.deleteScramCredential("generated-carol", "SCRAM-SHA-512");
        assertThat(security.listUsers().getScramUsers()).extracting(ScramUser::getPrincipal)
                .doesNotContain("User:generated-carol");
    }

    /**
     * A share group: records taken (the member named in the answer), one accepted by its acquisition id and one
     * released by its offset, which the next take answers again with its second delivery.
     */
    @Test
    void theShareGroupOperationsAnswerAsTheDocumentDeclares() throws ApiException {
        createTopicWithRecords("shared", "a", "b");
        ShareGroupsApi shares = new ShareGroupsApi(client);

        Acquisitions taken = shares.acquireShareRecords("generated-share", new AcquireRequest().topic("shared")
                .maxRecords(10).maxWaitMs(5000L));
        String memberId = taken.getMemberId();
        assertThat(memberId).isNotBlank();
        assertThat(taken.getRecords()).extracting(AcquiredRecord::getValue).containsExactly("a", "b");
        AcquiredRecord first = taken.getRecords().getFirst();
        assertThat(first.getDeliveryCount()).isEqualTo(1);
        assertThat(first.getLockExpiresAt()).isGreaterThan(System.currentTimeMillis());

        List<AcknowledgementResult> results = shares.acknowledgeShareRecords("generated-share", new AcknowledgeRequest()
                .memberId(memberId).acknowledgements(List.of(
                        new Acknowledgement().topic("shared").partition(0).acquisitionId(first.getAcquisitionId())
                                .type(AcknowledgeType.ACCEPT),
                        new Acknowledgement().topic("shared").partition(0).firstOffset(1L).lastOffset(1L)
                                .type(AcknowledgeType.RELEASE)))).getResults();
        assertThat(results).allSatisfy(result -> assertThat(result.getError()).isNull());
        assertThat(results.getFirst().getRecords().getFirst().getState()).hasToString("acknowledged");

        assertThat(shares.acquireShareRecords("generated-share", new AcquireRequest().topic("shared")
                .memberId(memberId)).getRecords()).singleElement()
                .satisfies(again -> assertThat(again.getValue()).isEqualTo("b"))
                .satisfies(again -> assertThat(again.getDeliveryCount()).isEqualTo(2));

        shares.alterShareGroupConfigs("generated-share", new ConfigUpdate().configs(List.of(
                new ConfigValue().name("share.delivery.count.limit").value("3"))));
        assertThat(shares.describeShareGroupConfigs("generated-share").getConfigs())
                .filteredOn(config -> config.getName().equals("share.delivery.count.limit"))
                .extracting(ConfigEntry::getValue).containsExactly("3");
    }

    @Test
    void aProblemReachesTheGeneratedClientWithItsStatusAndErrorCode() {
        ApiException missing = catchThrowableOfType(ApiException.class,
                () -> new AdminApi(client).describeTopic("no-such-topic", true));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"error_code\":\"UNKNOWN_TOPIC\"");
    }

    /** A topic of one partition, served, holding records of these string values. */
    private static void createTopicWithRecords(String topic, String... values) throws ApiException {
        new AdminApi(client).createTopic(new NewTopic().name(topic).partitionCount(1).replicationFactor(1));
        cluster.awaitServed(topic, 1);
        new ProduceApi(client).produce(topic, new ProduceBatch().records(Arrays.stream(values)
                .map(value -> new ProduceRecord().value(value)).toList()), null, "all", null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    /** One Server-Sent Event: its type and data (the lines of one event joined); comments and ids left out. */
    private record SseEvent(String type, String data) {

        static List<SseEvent> parse(String stream) {
            List<SseEvent> events = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                String type = "message";
                List<String> data = new ArrayList<>();
                for (String line : block.lines().toList()) {
                    if (line.startsWith("event:")) {
                        type = line.substring("event:".length()).strip();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring("data:".length()).stripLeading());
                    }
                }
                if (!data.isEmpty()) {
                    events.add(new SseEvent(type, String.join("\n", data)));
                }
            }
            return events;
        }
    }
}
