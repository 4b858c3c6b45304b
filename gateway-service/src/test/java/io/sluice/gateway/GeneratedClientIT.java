package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.sluice.client.ApiClient;
import io.sluice.client.ApiException;
import io.sluice.client.api.AdminApi;
import io.sluice.client.api.ConsumeApi;
import io.sluice.client.api.GroupsApi;
import io.sluice.client.api.ProduceApi;
import io.sluice.client.model.CommitRequest;
import io.sluice.client.model.ConfigEntry;
import io.sluice.client.model.ConfigUpdate;
import io.sluice.client.model.ConfigValue;
import io.sluice.client.model.GroupSummary;
import io.sluice.client.model.JoinRequest;
import io.sluice.client.model.MemberPoll;
import io.sluice.client.model.NewPartitionCount;
import io.sluice.client.model.NewTopic;
import io.sluice.client.model.PartitionView;
import io.sluice.client.model.PollRequest;
import io.sluice.client.model.ProduceBatch;
import io.sluice.client.model.ProduceRecord;
import io.sluice.client.model.ProduceResponse;
import io.sluice.client.model.ReadPage;
import io.sluice.client.model.Record;
import io.sluice.client.model.RecordFormat;
import io.sluice.client.model.RecordResult;
import io.sluice.client.model.ResetRequest;
import io.sluice.client.model.TopicSummary;
import io.sluice.client.model.TopicView;
import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.launcher.ServiceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Java client generated from the gateway's OpenAPI document (openapi-generator, at test-compile time) works against
 * a real cluster: it creates a topic, produces a record and reads it back, with the types the document promises.
 * A document whose schemas do not match what the gateway answers fails here, also by a property it does not declare.
 */
class GeneratedClientIT {

    private static GatewayCluster cluster;
    private static ApiClient client;

    @BeforeAll
    static void startCluster() {
        cluster = GatewayCluster.start("GeneratedClientIT", 1, Map.of(
                ServiceKind.PARTITION, List.of("--sluice.partition.replication.shutdown-timeout=1s")));
        client = new ApiClient();
        client.updateBaseUri(cluster.gatewayUrl());
        // The generator's default ignores properties the document does not declare: an answer carrying one would pass.
        client.setObjectMapper(ApiClient.createDefaultObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
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
                null, "all", null, null, null, null, null);
        RecordResult result = produced.getResults().getFirst();
        assertThat(result.getPartition()).isEqualTo(1);
        assertThat(result.getOffset()).isZero();

        ReadPage page = new ConsumeApi(client).readPartition("generated", 1, "earliest", null, null, null, null, null,
                null, null, null, RecordFormat.STRING, null, null, null);
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
        admin.createTopic(new NewTopic().name("operations").partitionCount(1).replicationFactor(1));
        cluster.awaitServed("operations", 1);
        new ProduceApi(client).produce("operations", new ProduceBatch().records(List.of(
                new ProduceRecord().value("a"), new ProduceRecord().value("b"))), null, "all", null, null, null, null, null);

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
                null, null, null, null, null).getRecords()).extracting(Record::getValue).containsExactly("a", "b");
        assertThat(admin.listNodes().getNodes()).hasSize(1);
        assertThat(admin.describeCluster(null).getLiveNodeCount()).isEqualTo(1);

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
        // The generated CommitRequest starts with offsets = [], which the gateway refuses beside a cursor ("not both",
        // as BadRequests pins): a generated client commits a cursor only with offsets set to null.
        groups.commitOffsets("operations-group", new CommitRequest().cursor(cursor).offsets(null));
        groups.leaveGroup("operations-group", memberId, cursor);
        assertThat(groups.describeGroup("operations-group").getPartitions()).singleElement()
                .satisfies(lag -> assertThat(lag.getCommittedOffset()).isEqualTo(2));
        assertThat(groups.listGroups().getGroups()).extracting(GroupSummary::getGroupId).contains("operations-group");
        // Likewise partitions = [] is refused ("when given, lists partition numbers"): null means all of them.
        assertThat(groups.resetOffsets("operations-group", new ResetRequest().topic("operations").partitions(null)
                .to(ResetRequest.ToEnum.EARLIEST).dryRun(true)).getDryRun()).isTrue();
        groups.deleteGroupOffsets("operations-group", "operations");
        groups.deleteGroup("operations-group");

        assertThat(admin.addPartitions("operations", new NewPartitionCount().partitionCount(2)).getPartitionCount())
                .isEqualTo(2);
        admin.deleteTopic("operations");
    }

    @Test
    void aProblemReachesTheGeneratedClientWithItsStatusAndErrorCode() {
        ApiException missing = catchThrowableOfType(ApiException.class,
                () -> new AdminApi(client).describeTopic("no-such-topic", true));

        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(missing.getResponseBody()).contains("\"error_code\":\"UNKNOWN_TOPIC\"");
    }
}
