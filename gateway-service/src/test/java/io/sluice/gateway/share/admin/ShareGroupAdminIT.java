package io.sluice.gateway.share.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.GatewayCluster.Response;
import io.sluice.gateway.testing.SharedGatewayCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Share-group administration over HTTP against real processes (the shared cluster: locks last 5 s, new
 * share-partitions start at the log start): list and describe show the windows, lock holders and lag; a reset or a
 * delete while records are acquired is refused (409) and changes nothing, and is done once they are acknowledged or
 * their locks ended; bad input is a typed problem; deleting a topic takes its share-partitions with it; a group's
 * configs are read and changed in the topic configs' shape and hold for its records.
 */
@ExtendWith(SharedGatewayCluster.class)
class ShareGroupAdminIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        cluster = shared;
    }

    @Test
    void aShareGroupIsDescribedResetAndDeletedOnlyWhenNoRecordIsAcquired() {
        cluster.createTopic("sh-admin", 2, 3, Map.of());
        produce("sh-admin", 10);
        List<JsonNode> taken = records(call("POST", "/v1/share-groups/sh-admin-group/acquisitions",
                "{\"topic\":\"sh-admin\",\"member_id\":\"a\",\"max_records\":7}", 200));
        assertThat(taken).as("records of both partitions").hasSize(7);

        JsonNode listed = find(call("GET", "/v1/share-groups", null, 200).json().path("share_groups"),
                "sh-admin-group");
        assertThat(listed.path("partitions").asInt()).isEqualTo(2);
        assertThat(listed.path("acquired_records").asLong()).isEqualTo(7);
        JsonNode described = call("GET", "/v1/share-groups/sh-admin-group", null, 200).json();
        assertThat(described.path("lock_holders").get(0).path("member_id").asString()).isEqualTo("a");
        assertThat(described.path("lock_holders").get(0).path("acquired_records").asLong()).isEqualTo(7);
        assertThat(described.path("lag").asLong()).as("nothing is acknowledged yet").isEqualTo(10);
        assertThat(described.path("partitions").get(0).path("high_watermark").asLong()).isEqualTo(5);

        assertProblem(call("POST", "/v1/share-groups/sh-admin-group/reset",
                "{\"topic\":\"sh-admin\",\"to\":\"latest\"}", 409), "NON_EMPTY_GROUP");
        assertProblem(call("DELETE", "/v1/share-groups/sh-admin-group", null, 409), "NON_EMPTY_GROUP");
        assertThat(call("GET", "/v1/share-groups/sh-admin-group", null, 200).json()).isEqualTo(described);

        call("POST", "/v1/share-groups/sh-admin-group/acknowledgements", "{\"member_id\":\"a\",\"acknowledgements\":["
                + String.join(",", taken.stream().map(r -> "{\"topic\":\"sh-admin\",\"partition\":"
                + r.path("partition").asInt() + ",\"acquisition_id\":" + r.path("acquisition_id").asLong()
                + ",\"type\":\"accept\"}").toList()) + "]}", 200);
        assertThat(call("GET", "/v1/share-groups/sh-admin-group", null, 200).json().path("lag").asLong())
                .isEqualTo(3);

        JsonNode dryRun = call("POST", "/v1/share-groups/sh-admin-group/reset",
                "{\"topic\":\"sh-admin\",\"to\":\"latest\",\"dry_run\":true}", 200).json();
        assertThat(dryRun.path("dry_run").asBoolean()).isTrue();
        assertThat(records(dryRun.path("partitions"))).extracting(p -> p.path("new_start_offset").asLong())
                .containsExactly(5L, 5L);
        assertThat(call("GET", "/v1/share-groups/sh-admin-group", null, 200).json().path("lag").asLong())
                .as("a dry run changes nothing").isEqualTo(3);

        JsonNode reset = call("POST", "/v1/share-groups/sh-admin-group/reset",
                "{\"topic\":\"sh-admin\",\"partitions\":[1],\"to\":\"offset\",\"offset\":4}", 200).json();
        assertThat(reset.path("partitions").get(0).path("new_start_offset").asLong()).isEqualTo(4);
        assertThat(reset.path("partitions").get(0).path("lag").asLong()).isEqualTo(1);
        JsonNode after = call("GET", "/v1/share-groups/sh-admin-group", null, 200).json();
        assertThat(after.path("partitions").get(1).path("start_offset").asLong()).isEqualTo(4);
        List<JsonNode> next = records(call("POST", "/v1/share-groups/sh-admin-group/acquisitions",
                "{\"topic\":\"sh-admin\",\"partitions\":[1],\"member_id\":\"b\"}", 200));
        assertThat(next).extracting(r -> r.path("offset").asLong()).containsExactly(4L);
        call("POST", "/v1/share-groups/sh-admin-group/acknowledgements", "{\"member_id\":\"b\",\"acknowledgements\":["
                + "{\"topic\":\"sh-admin\",\"partition\":1,\"first_offset\":4,\"last_offset\":4,\"type\":\"accept\"}]}",
                200);

        call("DELETE", "/v1/share-groups/sh-admin-group", null, 204);
        assertProblem(call("GET", "/v1/share-groups/sh-admin-group", null, 404), "UNKNOWN_GROUP");
        assertProblem(call("DELETE", "/v1/share-groups/sh-admin-group", null, 404), "UNKNOWN_GROUP");
    }

    @Test
    void badResetsAreTypedProblemsAndChangeNothing() {
        cluster.createTopic("sh-admin-bad", 1, 3, Map.of());
        produce("sh-admin-bad", 3);
        call("POST", "/v1/share-groups/sh-admin-bad-group/acquisitions",
                "{\"topic\":\"sh-admin-bad\",\"member_id\":\"a\",\"max_records\":1}", 200);
        String path = "/v1/share-groups/sh-admin-bad-group/reset";
        JsonNode before = call("GET", "/v1/share-groups/sh-admin-bad-group", null, 200).json();

        assertProblem(call("POST", path, "{\"topic\":\"sh-admin-bad\",\"to\":\"shift\",\"shift_by\":1}", 400),
                "INVALID_REQUEST");
        assertProblem(call("POST", path, "{\"topic\":\"sh-admin-bad\",\"to\":\"offset\"}", 400), "INVALID_REQUEST");
        assertProblem(call("POST", path, "{\"topic\":\"sh-admin-bad\",\"to\":\"offset\",\"offset\":99}", 416),
                "OFFSET_OUT_OF_RANGE");
        assertProblem(call("POST", path, "{\"topic\":\"sh-admin-none\",\"to\":\"earliest\"}", 404), "UNKNOWN_TOPIC");
        assertProblem(call("POST", path, "{\"topic\":\"sh-admin-bad\",\"partitions\":[3],\"to\":\"earliest\"}", 404),
                "UNKNOWN_PARTITION");
        assertProblem(call("GET", "/v1/share-groups/never-used", null, 404), "UNKNOWN_GROUP");
        assertProblem(call("GET", "/v1/share-groups/not..a%20group", null, 400), "INVALID_GROUP_ID");

        assertThat(call("GET", "/v1/share-groups/sh-admin-bad-group", null, 200).json()).isEqualTo(before);
    }

    @Test
    void aDeleteIsDoneOnceTheLocksEndedAndDeletingTheTopicForgetsItsShareGroupPartitions() {
        cluster.createTopic("sh-admin-locks", 1, 3, Map.of());
        produce("sh-admin-locks", 2);
        call("POST", "/v1/share-groups/sh-admin-locks-group/acquisitions",
                "{\"topic\":\"sh-admin-locks\",\"member_id\":\"gone\"}", 200);
        call("POST", "/v1/share-groups/sh-admin-topic-group/acquisitions",
                "{\"topic\":\"sh-admin-locks\",\"member_id\":\"gone\"}", 200);
        assertProblem(call("DELETE", "/v1/share-groups/sh-admin-locks-group", null, 409), "NON_EMPTY_GROUP");

        // The member vanished: its locks end after the cluster's 5 s lock duration, and then nothing is acquired.
        await("the locks to end").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.call("DELETE", "/v1/share-groups/sh-admin-locks-group", null, null).status()
                        == 204);
        assertProblem(call("GET", "/v1/share-groups/sh-admin-locks-group", null, 404), "UNKNOWN_GROUP");

        call("DELETE", "/v1/topics/sh-admin-locks", null, 204);
        assertProblem(call("GET", "/v1/share-groups/sh-admin-topic-group", null, 404), "UNKNOWN_GROUP");
    }

    @Test
    void aShareGroupsConfigsAreChangedOverHttpAndHoldForItsRecordsAndABadChangeChangesNothing() {
        cluster.createTopic("sh-admin-cfg", 1, 3, Map.of());
        produce("sh-admin-cfg", 1);
        String configs = "/v1/share-groups/sh-admin-cfg-group/configs";
        JsonNode defaults = call("GET", configs, null, 200).json();
        assertThat(config(defaults, "share.record.lock.duration.ms").path("value").asString())
                .as("the cluster's 5 s").isEqualTo("5000");
        assertThat(records(defaults.path("configs"))).allSatisfy(c -> assertThat(c.path("is_default").asBoolean())
                .isTrue());

        JsonNode changed = call("PATCH", configs, "{\"configs\":[{\"name\":\"share.delivery.count.limit\","
                + "\"value\":\"2\"},{\"name\":\"share.record.lock.duration.ms\",\"value\":\"60000\"}]}", 200).json();
        assertThat(config(changed, "share.delivery.count.limit").path("value").asString()).isEqualTo("2");
        assertThat(config(changed, "share.delivery.count.limit").path("is_default").asBoolean()).isFalse();
        assertThat(call("GET", configs, null, 200).json()).isEqualTo(changed);

        assertProblem(call("PATCH", configs, "{\"configs\":[{\"name\":\"share.delivery.count.limit\",\"value\":\"3\"},"
                + "{\"name\":\"share.delivery.count.limit.typo\",\"value\":\"3\"}]}", 400), "INVALID_CONFIG");
        assertProblem(call("PATCH", configs, "{\"configs\":[{\"name\":\"share.delivery.count.limit\","
                + "\"value\":\"11\"}]}", 400), "INVALID_CONFIG");
        assertThat(call("PATCH", configs, "{\"configs\":[{\"name\":\"share.isolation.level\","
                + "\"value\":\"read_committed\"}]}", 400).text()).contains("INVALID_CONFIG", "read_uncommitted only");
        assertProblem(call("GET", "/v1/share-groups/not..a%20group/configs", null, 400), "INVALID_GROUP_ID");
        assertThat(call("GET", configs, null, 200).json()).as("refused changes change nothing").isEqualTo(changed);

        // The group's 60 s lock and its delivery limit of 2: the second release archives the record.
        String take = "{\"topic\":\"sh-admin-cfg\",\"member_id\":\"a\"}";
        String release = "{\"member_id\":\"a\",\"acknowledgements\":[{\"topic\":\"sh-admin-cfg\","
                + "\"partition\":0,\"first_offset\":0,\"last_offset\":0,\"type\":\"release\"}]}";
        long before = System.currentTimeMillis();
        JsonNode first = records(call("POST", "/v1/share-groups/sh-admin-cfg-group/acquisitions", take, 200))
                .getFirst();
        assertThat(first.path("lock_expires_at").asLong()).isGreaterThanOrEqualTo(before + 60_000);
        call("POST", "/v1/share-groups/sh-admin-cfg-group/acknowledgements", release, 200);
        assertThat(records(call("POST", "/v1/share-groups/sh-admin-cfg-group/acquisitions", take, 200)))
                .extracting(r -> r.path("delivery_count").asInt()).containsExactly(2);
        call("POST", "/v1/share-groups/sh-admin-cfg-group/acknowledgements", release, 200);
        assertThat(records(call("POST", "/v1/share-groups/sh-admin-cfg-group/acquisitions", take, 200))).isEmpty();
        JsonNode partition = call("GET", "/v1/share-groups/sh-admin-cfg-group", null, 200).json().path("partitions")
                .get(0);
        assertThat(partition.path("start_offset").asLong()).as("archived").isEqualTo(1);

        JsonNode removed = call("PATCH", configs, "{\"configs\":[{\"name\":\"share.delivery.count.limit\","
                + "\"value\":null}]}", 200).json();
        assertThat(config(removed, "share.delivery.count.limit").path("value").asString()).isEqualTo("5");
        assertThat(config(removed, "share.delivery.count.limit").path("is_default").asBoolean()).isTrue();

        call("DELETE", "/v1/share-groups/sh-admin-cfg-group", null, 204);
        assertThat(records(call("GET", configs, null, 200).json().path("configs")))
                .as("the group's configs went with it").allSatisfy(c -> assertThat(c.path("is_default").asBoolean())
                        .isTrue());
    }

    private static JsonNode config(JsonNode configs, String name) {
        for (JsonNode config : configs.path("configs")) {
            if (config.path("name").asString().equals(name)) {
                return config;
            }
        }
        throw new AssertionError(name + " is not in " + configs);
    }

    private static void produce(String topic, int count) {
        StringBuilder records = new StringBuilder();
        int partitions = cluster.describe(topic).path("partitions").size();
        for (int i = 0; i < count; i++) {
            records.append(i == 0 ? "" : ",").append("{\"value\":\"v").append(i).append("\",\"partition\":")
                    .append(i % partitions).append('}');
        }
        call("POST", "/v1/topics/" + topic + "/records", "{\"records\":[" + records + "]}", 200);
    }

    private static Response call(String method, String path, String body, int status) {
        Response answer = cluster.call(method, path, body, body == null ? null : "application/json");
        assertThat(answer.status()).as(method + " " + path + ": " + answer.text()).isEqualTo(status);
        return answer;
    }

    private static void assertProblem(Response answer, String errorCode) {
        assertThat(answer.json().path("error_code").asString()).as(answer.text()).isEqualTo(errorCode);
    }

    private static List<JsonNode> records(Response acquired) {
        return records(acquired.json().path("records"));
    }

    private static List<JsonNode> records(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    private static JsonNode find(JsonNode groups, String groupId) {
        for (JsonNode group : groups) {
            if (group.path("group_id").asString().equals(groupId)) {
                return group;
            }
        }
        throw new AssertionError(groupId + " is not in " + groups);
    }
}
