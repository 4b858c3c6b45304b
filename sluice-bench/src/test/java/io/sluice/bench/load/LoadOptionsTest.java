package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.bench.load.LoadOptions.Mode;
import io.sluice.bench.load.LoadOptions.UsageException;
import io.sluice.bench.load.LoadOptions.ValueFormat;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadOptionsTest {

    @Test
    void produceDefaultsMirrorKafkasPerfTestRecordShape() {
        LoadOptions options = LoadOptions.parse("produce", "--topic", "t");

        assertThat(options.mode()).isEqualTo(Mode.PRODUCE);
        assertThat(options.gateway()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(options.numRecords()).isEqualTo(100_000);
        assertThat(options.recordSize()).isEqualTo(1024);
        assertThat(options.valueFormat()).isEqualTo(ValueFormat.STRING);
        assertThat(options.recordsPerRequest()).isEqualTo(100);
        assertThat(options.concurrency()).isEqualTo(8);
        assertThat(options.acks()).isEqualTo("all");
        assertThat(options.throughput()).isEqualTo(-1);
        assertThat(options.ndjson()).isFalse();
        assertThat(options.ndjsonWindow()).isEqualTo(1000);
        assertThat(options.httpClients()).isEqualTo(4);
        assertThat(options.createTopic()).isNull();
    }

    @Test
    void everyProduceOptionIsReadInBothSpellings() {
        LoadOptions options = LoadOptions.parse("produce", "--topic=bench", "--gateway", "10.0.0.1:18080/",
                "--num-records", "1_000_000", "--record-size=100", "--value-format", "binary",
                "--records-per-request", "1000", "--concurrency=2", "--acks", "-1", "--throughput", "5000",
                "--create-topic", "3,3,2", "--ndjson", "--warmup-records", "10", "--http-clients", "1");

        assertThat(options.topic()).isEqualTo("bench");
        assertThat(options.gateway()).isEqualTo(URI.create("http://10.0.0.1:18080"));
        assertThat(options.numRecords()).isEqualTo(1_000_000);
        assertThat(options.recordSize()).isEqualTo(100);
        assertThat(options.valueFormat()).isEqualTo(ValueFormat.BINARY);
        assertThat(options.recordsPerRequest()).isEqualTo(1000);
        assertThat(options.concurrency()).isEqualTo(2);
        assertThat(options.acks()).isEqualTo("all");
        assertThat(options.throughput()).isEqualTo(5000);
        assertThat(options.createTopic()).isEqualTo(new LoadOptions.TopicSpec(3, 3, 2));
        assertThat(options.ndjson()).isTrue();
        assertThat(options.ndjsonWindow()).isEqualTo(4000);
        assertThat(options.warmupRecords()).isEqualTo(10);
        assertThat(options.httpClients()).isEqualTo(1);
    }

    @Test
    void consumeTakesAReadWarmUpButNotANegativeOne() {
        assertThat(LoadOptions.parse("consume", "--topic", "t", "--raw", "--warmup-records", "500000").warmupRecords())
                .isEqualTo(500_000);
        assertThatThrownBy(() -> LoadOptions.parse("consume", "--topic", "t", "--warmup-records", "-1"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--warmup-records must be >= 0");
    }

    @Test
    void consumeReadsWhatTheTopicHoldsUnlessToldOtherwise() {
        LoadOptions options = LoadOptions.parse("consume", "--topic", "t", "--max-records", "500", "--sse");

        assertThat(options.numRecords()).isEqualTo(-1);
        assertThat(options.maxRecords()).isEqualTo(500);
        assertThat(options.maxBytes()).isEqualTo(1 << 20);
        assertThat(options.sse()).isTrue();
    }

    @Test
    void e2eRateZeroMeansOneRecordInFlight() {
        LoadOptions options = LoadOptions.parse("e2e", "--topic", "t", "--rate", "0");

        assertThat(options.rate()).isZero();
        assertThat(options.numRecords()).isEqualTo(2_000);
        assertThat(options.recordsPerRequest()).isEqualTo(1);
    }

    @Test
    void fanoutDefaultsToTheIssue14TargetAndReadsMetricsOnTheGatewayPort() {
        LoadOptions options = LoadOptions.parse("fanout", "--topic", "t", "--gateway", "http://10.0.0.1:18080");

        assertThat(options.mode()).isEqualTo(Mode.FANOUT);
        assertThat(options.subscribers()).isEqualTo(1000);
        assertThat(options.rate()).isEqualTo(50);
        assertThat(options.numRecords()).isEqualTo(3000);
        assertThat(options.acks()).isEqualTo("all");
        assertThat(options.metricsUrl()).isEqualTo(URI.create("http://10.0.0.1:18080/actuator/prometheus"));
    }

    @Test
    void createTopicWithoutMinInsyncLeavesTheTopicDefault() {
        assertThat(LoadOptions.TopicSpec.parse("6,1")).isEqualTo(new LoadOptions.TopicSpec(6, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "produce                                       | --topic is required",
            "stream --topic t                              | unknown mode 'stream'",
            "produce --topic t --acks 2                    | --acks must be 0, 1 or all",
            "produce --topic t --sse                       | --sse does not apply to mode produce",
            "consume --topic t --acks all                  | --acks does not apply to mode consume",
            "produce --topic t --linger-ms 5               | --linger-ms is not an option",
            "produce --topic t --records-per-request       | --records-per-request needs a value",
            "produce --topic t --records-per-request 0     | --records-per-request must be > 0",
            "produce --topic t --ndjson=yes                | --ndjson is a flag",
            "produce --topic t --num-records -1            | --num-records must be > 0, was -1",
            "produce --topic t --throughput 0              | --throughput must be > 0",
            "produce --topic t --create-topic 3            | --create-topic takes PARTITIONS,RF[,MIN_INSYNC]",
            "produce --topic t --create-topic 3,1,2        | min.insync.replicas 2 exceeds RF 1",
            "produce --topic t --gateway https://x:1       | --gateway must be an http://host:port URL",
            "produce --topic t --record-size 1k            | --record-size must be a whole number",
            "produce --topic t --topic u                   | --topic is given twice",
            "produce --topic t --ndjson-window 10 --records-per-request 100 | --ndjson-window (10) must hold one chunk",
            "e2e --topic t --rate -5                       | --rate must be >= 0",
            "consume --topic t extra                       | unexpected argument 'extra'",
            "fanout --topic t --rate 0                     | --rate must be > 0 records/s in mode fanout",
            "fanout --topic t --subscribers 0              | --subscribers must be > 0",
            "fanout --topic t --concurrency 4              | --concurrency does not apply to mode fanout",
            "e2e --topic t --subscribers 10                | --subscribers does not apply to mode e2e",
            "fanout --topic t --metrics-url ftp://x/m      | --metrics-url must be an http:// URL",
    })
    void aCommandLineThatCannotRunIsRefusedWithTheReason(String line, String reason) {
        assertThatThrownBy(() -> LoadOptions.parse(line.trim().split("\\s+")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void noArgumentsAsksForAMode() {
        assertThatThrownBy(LoadOptions::parse).isInstanceOf(UsageException.class).hasMessageContaining("no mode");
    }
}
