package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.gateway.testing.FakeCluster;
import io.sluice.gateway.testing.FakeClusterWebTest;
import io.sluice.kafka.KafkaRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTopicPartitionsRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** DescribeTopicPartitions pages: topics in name order, at most the asked number of partitions, a cursor to the rest. */
@FakeClusterWebTest
class DescribeTopicPartitionsApiTest {

    @Autowired
    KafkaApis apis;

    @Autowired
    FakeCluster cluster;

    private final KafkaSession session = new KafkaSession(1, new InetSocketAddress("127.0.0.1", 1), false);

    @Test
    void whenPartitionsExceedTheLimitShouldAnswerAPageAndACursorToTheRest() {
        cluster.topic("pages-b", 2, Map.of());
        cluster.topic("pages-a", 5, Map.of());
        DescribeTopicPartitionsRequestData asked = request(3, "pages-b", "pages-a");
        awaitTopic("pages-a");
        awaitTopic("pages-b");

        DescribeTopicPartitionsResponseData first = describe(asked);
        assertThat(pages(first)).containsExactly("pages-a:0", "pages-a:1", "pages-a:2");
        assertThat(first.nextCursor().topicName()).isEqualTo("pages-a");
        assertThat(first.nextCursor().partitionIndex()).isEqualTo(3);

        DescribeTopicPartitionsResponseData second = describe(asked.setCursor(cursor("pages-a", 3)));
        assertThat(pages(second)).containsExactly("pages-a:3", "pages-a:4", "pages-b:0");
        assertThat(second.nextCursor().topicName()).isEqualTo("pages-b");
        assertThat(second.nextCursor().partitionIndex()).isEqualTo(1);

        DescribeTopicPartitionsResponseData last = describe(asked.setCursor(cursor("pages-b", 1)));
        assertThat(pages(last)).containsExactly("pages-b:1");
        assertThat(last.nextCursor()).as("nothing left").isNull();
        var partition = last.topics().find("pages-b").partitions().getFirst();
        assertThat(partition.replicaNodes()).isEqualTo(List.of(1));
        assertThat(partition.isrNodes()).isEqualTo(List.of(1));
        assertThat(partition.eligibleLeaderReplicas()).isEmpty();
    }

    @Test
    void whenATopicDoesNotExistShouldAnswerItsErrorWithoutTakingRoomOnThePage() {
        cluster.topic("known", 2, Map.of());
        DescribeTopicPartitionsRequestData asked = request(2, "known", "absent");
        awaitTopic("known");

        DescribeTopicPartitionsResponseData answer = describe(asked);

        assertThat(answer.topics().find("absent").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(pages(answer)).containsExactly("known:0", "known:1");
        assertThat(answer.nextCursor()).isNull();
    }

    @Test
    void whenTheCursorNamesATopicNotAskedForShouldBeAnInvalidRequest() {
        DescribeTopicPartitionsResponseData answer = describe(request(10, "known").setCursor(cursor("other", 0)));

        assertThat(answer.topics()).allMatch(topic -> topic.errorCode() == Errors.INVALID_REQUEST.code());
    }

    private static DescribeTopicPartitionsRequestData request(int limit, String... topics) {
        DescribeTopicPartitionsRequestData data = new DescribeTopicPartitionsRequestData()
                .setResponsePartitionLimit(limit);
        for (String topic : topics) {
            data.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(topic));
        }
        return data;
    }

    private static DescribeTopicPartitionsRequestData.Cursor cursor(String topic, int partition) {
        return new DescribeTopicPartitionsRequestData.Cursor().setTopicName(topic).setPartitionIndex(partition);
    }

    private DescribeTopicPartitionsResponseData describe(DescribeTopicPartitionsRequestData data) {
        KafkaRequest request = new KafkaRequest(new RequestHeader(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, (short) 0,
                "test", 1), new DescribeTopicPartitionsRequest.Builder(data).build((short) 0), (short) 0);
        return (DescribeTopicPartitionsResponseData) apis.handle(request, session).block(Duration.ofSeconds(30));
    }

    /** The gateway's metadata view learns of a topic of the fake cluster's a moment after it is made. */
    private void awaitTopic(String topic) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (describe(request(10, topic)).topics().find(topic).errorCode() != Errors.NONE.code()) {
            assertThat(System.nanoTime()).as("the gateway sees %s", topic).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static List<String> pages(DescribeTopicPartitionsResponseData answer) {
        return answer.topics().stream().filter(topic -> topic.errorCode() == Errors.NONE.code())
                .flatMap(topic -> topic.partitions().stream().map(p -> topic.name() + ":" + p.partitionIndex()))
                .toList();
    }
}
