package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.gateway.testing.GatewayCluster;
import io.sluice.gateway.testing.SharedGatewayCluster;
import io.sluice.gateway.testing.SseStream;
import io.sluice.launcher.LocalCluster;
import io.sluice.testing.KafkaWire;
import io.sluice.testing.Waits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.tools.TransactionalMessageCopier;
import org.apache.kafka.tools.TransactionsCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Transactions over the Kafka protocol with Kafka's own producer and admin client, against real processes: the
 * coordinator's transaction state, the markers written at every partition, fencing of an older producer instance,
 * offsets committed with a transaction, and the abort of a transaction open past its timeout.
 */
@ExtendWith(SharedGatewayCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaTransactionsIT {

    private static GatewayCluster cluster;

    @BeforeAll
    static void useSharedCluster(GatewayCluster shared) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        cluster = shared;
    }

    private static KafkaProducer<byte[], byte[]> producer(String transactionalId, int timeoutMs) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Integer.toString(timeoutMs));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static TransactionDescription describe(Admin admin, String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
    }

    @Test
    void aCommittedAndAnAbortedTransactionEachLeaveAMarkerInEveryPartitionTheyWroteTo() throws Exception {
        String topic = "txn-markers";
        cluster.createTopic(topic, 2, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("markers", 60_000); Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(record(topic, i % 2, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 6; i++) {
                producer.send(record(topic, i % 2, "aborted-" + i));
            }
            // Written before the abort: a producer aborts records it has not sent yet without asking anyone.
            producer.flush();
            producer.abortTransaction();

            TransactionDescription description = describe(admin, "markers");
            assertThat(description.state()).isIn(TransactionState.COMPLETE_ABORT, TransactionState.PREPARE_ABORT);
            assertThat(description.producerEpoch()).as("transaction version 2: each end moves the epoch")
                    .isEqualTo(2);
            assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                    .contains("markers");
            awaitState(admin, "markers", TransactionState.COMPLETE_ABORT);
            // Each partition: 5 committed records, their commit marker, 3 aborted records, their abort marker.
            assertThat(cluster.highWatermarks(topic)).containsExactly(10L, 10L);
        }
        // The HTTP reader sees the records, never a marker.
        var read = cluster.call("GET", "/v1/topics/" + topic + "/partitions/0/records?offset=0&value_format=string",
                null, null).json();
        assertThat(read.path("records").size()).isEqualTo(8);
        read.path("records").forEach(r -> assertThat(r.path("value").asString()).matches("(committed|aborted)-\\d"));
    }

    /**
     * {@code kafka-transactions} (kafka-tools' TransactionsCommand) lists and describes Sluice's transactions: an open
     * one is Ongoing with its partition, and CompleteCommit once its producer committed.
     */
    @Test
    void kafkaTransactionsListsAndDescribesAnOpenAndACommittedTransaction() throws Exception {
        String topic = "txn-tool";
        cluster.createTopic(topic, 1, 3, Map.of());
        String bootstrap = cluster.kafkaBootstrap();
        try (KafkaProducer<byte[], byte[]> producer = producer("tool-txn", 60_000); Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "in-tool-txn")).get(30, TimeUnit.SECONDS);

            KafkaTools.ToolRun listed = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server", bootstrap,
                    "list");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            assertThat(listed.out().lines()).anyMatch(line -> line.startsWith("tool-txn") && line.contains("Ongoing"));
            KafkaTools.ToolRun open = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server", bootstrap,
                    "describe", "--transactional-id", "tool-txn");
            assertThat(open.exitCode()).as(open.err()).isZero();
            assertThat(open.out()).contains("tool-txn", "Ongoing", topic + "-0");

            producer.commitTransaction();
            awaitState(admin, "tool-txn", TransactionState.COMPLETE_COMMIT);
            KafkaTools.ToolRun committed = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server",
                    bootstrap, "describe", "--transactional-id", "tool-txn");
            assertThat(committed.exitCode()).as(committed.err()).isZero();
            assertThat(committed.out()).contains("CompleteCommit");
        }
    }

    /**
     * {@code kafka-transactions describe-producers}, {@code find-hanging} and {@code abort} (DescribeProducers, then
     * WriteTxnMarkers from the admin client at the partition's leader): the open transaction's producer is listed
     * with its start offset; it is not hanging (the coordinator knows it as ongoing with that partition); aborted at
     * the partition by its start offset, its records are gone for read_committed readers, which read on past it to a
     * record written after the abort, and the partition's producer state has no open transaction left.
     */
    @Test
    void kafkaTransactionsDescribesAPartitionsProducersAndAbortsATransactionByItsStartOffset() throws Exception {
        String topic = "txn-abort-tool";
        cluster.createTopic(topic, 1, 3, Map.of());
        String bootstrap = cluster.kafkaBootstrap();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer("abort-tool-txn", 60_000);
             KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
                     new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> committed = consumer(IsolationLevel.READ_COMMITTED);
             Admin admin = admin()) {
            plain.send(record(topic, 0, "before")).get(30, TimeUnit.SECONDS);
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 3; i++) {
                producer.send(record(topic, 0, "to-abort-" + i));
            }
            producer.flush();
            ProducerState open = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers()
                    .stream().filter(state -> state.currentTransactionStartOffset().isPresent()).findFirst()
                    .orElseThrow();
            long startOffset = open.currentTransactionStartOffset().getAsLong();
            assertThat(startOffset).as("the transaction starts after the record before it").isEqualTo(1);

            KafkaTools.ToolRun described = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server", bootstrap,
                    "describe-producers", "--topic", topic, "--partition", "0");
            assertThat(described.exitCode()).as(described.err()).isZero();
            assertThat(described.out().lines()).anyMatch(line -> line.startsWith(Long.toString(open.producerId()))
                    && line.contains(Long.toString(startOffset)));
            KafkaTools.ToolRun hanging = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server", bootstrap,
                    "find-hanging", "--topic", topic, "--partition", "0", "--max-transaction-timeout", "0");
            assertThat(hanging.exitCode()).as(hanging.err()).isZero();
            assertThat(hanging.out()).as("the table of hanging transactions").startsWith("Topic\tPartition\tProducerId");
            assertThat(hanging.out().lines()).as("an ongoing transaction the coordinator knows is not hanging")
                    .noneMatch(line -> line.startsWith(topic));

            KafkaTools.ToolRun aborted = KafkaTools.run(TransactionsCommand::main, "--bootstrap-server", bootstrap,
                    "abort", "--topic", topic, "--partition", "0", "--start-offset", Long.toString(startOffset));
            assertThat(aborted.exitCode()).as(aborted.out() + aborted.err()).isZero();
            assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers())
                    .as("no transaction open at the partition after the abort")
                    .allMatch(state -> state.currentTransactionStartOffset().isEmpty());

            plain.send(record(topic, 0, "after-abort")).get(30, TimeUnit.SECONDS);
            committed.assign(List.of(tp));
            committed.seekToBeginning(List.of(tp));
            List<String> read = new ArrayList<>();
            Waits.await("a read_committed read up to the record written after the abort", Duration.ofSeconds(30),
                    () -> {
                        committed.poll(Duration.ofMillis(200))
                                .forEach(r -> read.add(new String(r.value(), StandardCharsets.UTF_8)));
                        return read.contains("after-abort") ? read : null;
                    });
            assertThat(read).containsExactly("before", "after-abort");
            producer.abortTransaction();
        }
    }

    /**
     * ListTransactions v1 and v2's filters, as Admin sends them: by how long the transaction has been open (a complete
     * one is not open at all) and by a regular expression the whole transactional id matches.
     */
    @Test
    void listTransactionsFiltersByHowLongATransactionIsOpenAndByAPatternOfItsWholeId() throws Exception {
        String topic = "txn-list-filters";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> open = producer("filters-open", 60_000);
             KafkaProducer<byte[], byte[]> done = producer("filters-done", 60_000); Admin admin = admin()) {
            done.initTransactions();
            done.beginTransaction();
            done.send(record(topic, 0, "done")).get(30, TimeUnit.SECONDS);
            done.commitTransaction();
            awaitState(admin, "filters-done", TransactionState.COMPLETE_COMMIT);
            open.initTransactions();
            open.beginTransaction();
            open.send(record(topic, 0, "open")).get(30, TimeUnit.SECONDS);

            assertThat(listed(admin, new ListTransactionsOptions().filterOnDuration(0)))
                    .as("open for 0 ms or more").contains("filters-open").doesNotContain("filters-done");
            assertThat(listed(admin, new ListTransactionsOptions().filterOnDuration(Duration.ofHours(1).toMillis())))
                    .as("open for an hour or more").doesNotContain("filters-open", "filters-done");
            assertThat(listed(admin, new ListTransactionsOptions().filterOnTransactionalIdPattern("filters-d.*")))
                    .containsExactly("filters-done");
            assertThat(listed(admin, new ListTransactionsOptions().filterOnTransactionalIdPattern("done")))
                    .as("the pattern matches whole ids").isEmpty();
            assertThatThrownBy(() -> admin.listTransactions(new ListTransactionsOptions()
                    .filterOnTransactionalIdPattern("filters-(")).all().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidRegularExpression.class);
            open.abortTransaction();
        }
    }

    private static List<String> listed(Admin admin, ListTransactionsOptions options) throws Exception {
        return admin.listTransactions(options).all().get().stream().map(TransactionListing::transactionalId)
                .filter(id -> id.startsWith("filters-")).sorted().toList();
    }

    @Test
    void readCommittedListOffsetsAnswersTheLastStableOffsetWhileATransactionIsOpen() throws Exception {
        String topic = "txn-lso";
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()), new ByteArraySerializer(),
                new ByteArraySerializer());
             KafkaProducer<byte[], byte[]> producer = producer("lso", 60_000); Admin admin = admin()) {
            plain.send(record(topic, 0, "before")).get();                    // 0
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "open")).get();                   // 1
            plain.send(record(topic, 0, "after")).get();                     // 2

            assertThat(latest(admin, tp, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(3);
            assertThat(latest(admin, tp, IsolationLevel.READ_COMMITTED)).as("held at the open transaction")
                    .isEqualTo(1);

            producer.commitTransaction();                                   // 3: the marker
            awaitState(admin, "lso", TransactionState.COMPLETE_COMMIT);
            assertThat(latest(admin, tp, IsolationLevel.READ_COMMITTED)).isEqualTo(4);
        }
    }

    /**
     * KIP-890 part 1: a transactional batch reaches a partition that its producer's transaction never added, or after
     * that transaction ended (a produce retried past an abort, as a client whose request timed out sends it). Kafka's
     * brokers refuse it since 3.6; without that it would open a transaction at the partition that no marker ever ends,
     * and read_committed readers would wait at it for good. Sent as Kafka's producer would send the late batch (its
     * producer id, epoch and next sequence), built by kafka-clients.
     */
    @Test
    void aTransactionalBatchForAPartitionOutsideItsOpenTransactionIsRefusedAndHoldsNoReaderBack() throws Exception {
        String topic = "txn-verify";
        cluster.createTopic(topic, 2, 3, Map.of());
        TopicPartition added = new TopicPartition(topic, 0);
        TopicPartition never = new TopicPartition(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer("verify", 60_000); Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "in-the-transaction")).get(30, TimeUnit.SECONDS); // 0
            TransactionDescription open = describe(admin, "verify");

            Errors outside = rawTransactionalProduce("verify", open, never, 0);

            assertThat(outside).as("a partition the transaction never added").isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(latest(admin, never, IsolationLevel.READ_UNCOMMITTED)).as("nothing written").isZero();

            producer.abortTransaction();                                     // 1: the abort marker
            awaitState(admin, "verify", TransactionState.COMPLETE_ABORT);
            TransactionDescription aborted = describe(admin, "verify");
            assertThat(aborted.producerEpoch()).as("transaction version 2").isEqualTo(open.producerEpoch() + 1);

            Errors late = rawTransactionalProduce("verify", open, added, 1);
            Errors unadded = rawTransactionalProduce("verify", aborted, added, 0);

            assertThat(late).as("a batch of the aborted transaction, after its abort")
                    .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            assertThat(unadded).as("a batch of the next epoch, whose transaction did not add the partition")
                    .isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(latest(admin, added, IsolationLevel.READ_UNCOMMITTED)).as("nothing written").isEqualTo(2);
            assertThat(latest(admin, added, IsolationLevel.READ_COMMITTED)).as("no transaction left open")
                    .isEqualTo(2);

            // The producer's next transaction adds the partition and writes to it as before.
            producer.beginTransaction();
            producer.send(record(topic, 0, "next")).get(30, TimeUnit.SECONDS); // 2
            producer.commitTransaction();                                     // 3
            awaitState(admin, "verify", TransactionState.COMPLETE_COMMIT);
            assertThat(latest(admin, added, IsolationLevel.READ_COMMITTED)).isEqualTo(4);
        }
    }

    /**
     * Transaction version 2 (KIP-890 part 2), which Sluice finalizes and Kafka 4's clients therefore use: every end of
     * a transaction moves the producer to the next epoch, and partitions join the transaction when the producer writes
     * to them (Produce v12), with no AddPartitionsToTxn. A write of the old epoch delayed past the end (a produce the
     * client timed out and the network delivered late) cannot join the next transaction: without the epoch bump the
     * coordinator would add its partition to the next transaction, and its record would commit with it.
     */
    @Test
    void underTransactionVersion2AWriteDelayedPastItsTransactionsEndCannotJoinTheNext() throws Exception {
        String topic = "txn-v2";
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer("v2", 60_000); Admin admin = admin();
             KafkaConsumer<byte[], byte[]> reader = consumer(IsolationLevel.READ_COMMITTED)) {
            var features = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS);
            assertThat(features.finalizedFeatures().get("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
            assertThat(features.finalizedFeatures().get("group.version").maxVersionLevel()).isEqualTo((short) 1);
            assertThat(features.finalizedFeatures().get("share.version").maxVersionLevel()).isEqualTo((short) 1);

            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "first")).get(30, TimeUnit.SECONDS);    // 0
            TransactionDescription first = describe(admin, "v2");
            producer.commitTransaction();                                           // 1
            awaitState(admin, "v2", TransactionState.COMPLETE_COMMIT);

            Errors late = rawTransactionalProduce("v2", first, tp, 1, (short) 12); // v13 names topics by id
            assertThat(late).as("the coordinator refuses to add the partition for the old epoch")
                    .isEqualTo(Errors.PRODUCER_FENCED);

            producer.beginTransaction();
            producer.send(record(topic, 0, "second")).get(30, TimeUnit.SECONDS);   // 2
            producer.commitTransaction();                                           // 3
            awaitState(admin, "v2", TransactionState.COMPLETE_COMMIT);
            assertThat(describe(admin, "v2").producerEpoch()).isEqualTo(first.producerEpoch() + 2);

            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            assertThat(readUntilQuiet(reader)).containsExactly("first", "second");
            assertThat(latest(admin, tp, IsolationLevel.READ_UNCOMMITTED)).as("nothing of the late write").isEqualTo(4);
        }
    }

    /** One transactional batch of {@code txn}'s producer at {@code sequence}, sent alone; the partition's error. */
    private static Errors rawTransactionalProduce(String transactionalId, TransactionDescription txn,
                                                  TopicPartition tp, int sequence) throws Exception {
        return rawTransactionalProduce(transactionalId, txn, tp, sequence,
                ProduceRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2);
    }

    /** As above, in Produce {@code version} (12 and later: the partition joins the transaction implicitly). */
    private static Errors rawTransactionalProduce(String transactionalId, TransactionDescription txn,
                                                  TopicPartition tp, int sequence, short version) throws Exception {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, txn.producerId(),
                (short) txn.producerEpoch(), sequence, new SimpleRecord("late".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData data = new ProduceRequestData().setTransactionalId(transactionalId).setAcks((short) -1)
                .setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(tp.topic());
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(tp.partition())
                .setRecords(records));
        data.topicData().add(topicData);
        ProduceResponse response = (ProduceResponse) KafkaWire.call(cluster.kafkaBootstrap(), ApiKeys.PRODUCE,
                version, new ProduceRequest.Builder(version, version, data));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().getFirst()
                .errorCode());
    }

    private static long latest(Admin admin, TopicPartition tp, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).partitionResult(tp)
                .get().offset();
    }

    @Test
    void aReadCommittedConsumerSeesCommittedRecordsOnlyAndNothingOfAnOpenTransactionUntilItCommits()
            throws Exception {
        String topic = "txn-read";
        cluster.createTopic(topic, 2, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("reader", 60_000);
             KafkaConsumer<byte[], byte[]> committed = consumer(IsolationLevel.READ_COMMITTED);
             KafkaConsumer<byte[], byte[]> everything = consumer(IsolationLevel.READ_UNCOMMITTED)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 6; i++) {
                producer.send(record(topic, i % 2, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(record(topic, i % 2, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 2; i++) {
                producer.send(record(topic, i % 2, "open-" + i));
            }
            producer.flush();

            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            committed.assign(partitions);
            committed.seekToBeginning(partitions);
            everything.assign(partitions);
            everything.seekToBeginning(partitions);
            assertThat(readUntilQuiet(everything)).hasSize(12);
            assertThat(readUntilQuiet(committed)).as("the aborted and the open transaction are not read")
                    .allMatch(v -> v.startsWith("committed-")).hasSize(6);

            producer.commitTransaction();
            assertThat(readUntilQuiet(committed)).containsExactlyInAnyOrder("open-0", "open-1");
        }
    }

    /**
     * Over HTTP, a page with {@code isolation_level=read_committed} sees what a read_committed Kafka consumer sees:
     * committed transactions' records, none of an aborted one, and nothing at or after an open one's first record
     * (the last stable offset) until it commits; read_uncommitted (the default) sees them all.
     */
    @Test
    void httpPagesReadCommittedSeeOnlyCommittedTransactionsAndStopAtTheLastStableOffset() throws Exception {
        String topic = "txn-http-read";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("http-reader", 60_000)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "committed-0"));
            producer.send(record(topic, 0, "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topic, 0, "aborted-0"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topic, 0, "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topic, 0, "open-0"));
            producer.flush();

            String partition = "/v1/topics/" + topic + "/partitions/0/records?format=string";
            // A commit is answered once it is decided; its markers follow (as with Kafka), so reads are polled.
            cluster.awaitValues(partition + "&isolation_level=read_committed", "committed-0", "committed-1",
                    "committed-2");
            cluster.awaitValues("/v1/topics/" + topic + "/records?format=string&isolation_level=read_committed",
                    "committed-0", "committed-1", "committed-2");
            cluster.awaitValues(partition, "committed-0", "committed-1", "aborted-0", "committed-2", "open-0");
            cluster.awaitValues(partition + "&isolation_level=read_uncommitted",
                    "committed-0", "committed-1", "aborted-0", "committed-2", "open-0");

            producer.commitTransaction();
            cluster.awaitValues(partition + "&isolation_level=read_committed",
                    "committed-0", "committed-1", "committed-2", "open-0");
        }
        GatewayCluster.Response bad = cluster.call("GET", "/v1/topics/" + topic
                + "/partitions/0/records?isolation_level=serializable", null, null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("isolation_level must be read_uncommitted or read_committed");
    }

    /**
     * The other way round: what HTTP writes in transactions (an atomic produce, a committed and an aborted
     * transaction resource, and one still open) a read_committed Kafka consumer reads as it reads a Kafka producer's:
     * the committed records, none of the aborted one, nothing of the open one until it commits; a read_uncommitted one
     * reads them all.
     */
    @Test
    void aReadCommittedKafkaConsumerReadsHttpTransactionsAsItReadsAKafkaProducers() throws Exception {
        String topic = "txn-http-to-kafka";
        cluster.createTopic(topic, 2, 3, Map.of());
        GatewayCluster.Response atomic = cluster.postJson("/v1/records?format=string", """
                {"records":[{"topic":"%1$s","partition":0,"value":"atomic-0"},
                            {"topic":"%1$s","partition":1,"value":"atomic-1"}]}""".formatted(topic));
        assertThat(atomic.status()).as(atomic.text()).isEqualTo(200);
        String committedTxn = httpTransaction(topic, "resource-committed");
        assertThat(cluster.postJson("/v1/transactions/" + committedTxn + "/commit", "").status()).isEqualTo(204);
        String abortedTxn = httpTransaction(topic, "resource-aborted");
        assertThat(cluster.postJson("/v1/transactions/" + abortedTxn + "/abort", "").status()).isEqualTo(204);
        String openTxn = httpTransaction(topic, "resource-open");

        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (KafkaConsumer<byte[], byte[]> committed = consumer(IsolationLevel.READ_COMMITTED);
             KafkaConsumer<byte[], byte[]> everything = consumer(IsolationLevel.READ_UNCOMMITTED)) {
            committed.assign(partitions);
            committed.seekToBeginning(partitions);
            everything.assign(partitions);
            everything.seekToBeginning(partitions);
            assertThat(readUntilQuiet(everything)).containsExactlyInAnyOrder("atomic-0", "atomic-1",
                    "resource-committed", "resource-aborted", "resource-open");
            assertThat(readUntilQuiet(committed)).as("the aborted and the open transaction are not read")
                    .containsExactlyInAnyOrder("atomic-0", "atomic-1", "resource-committed");

            assertThat(cluster.postJson("/v1/transactions/" + openTxn + "/commit", "").status()).isEqualTo(204);
            assertThat(readUntilQuiet(committed)).containsExactly("resource-open");
        }
    }

    /** A transaction begun over HTTP with one record written to partition 0 of {@code topic}: its token. */
    private static String httpTransaction(String topic, String value) {
        GatewayCluster.Response begun = cluster.postJson("/v1/transactions", "{}");
        assertThat(begun.status()).as(begun.text()).isEqualTo(201);
        String txn = begun.json().path("transaction").asString();
        GatewayCluster.Response written = cluster.postJson("/v1/transactions/" + txn + "/records?format=string",
                "{\"records\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"value\":\"" + value
                        + "\"}]}");
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        return txn;
    }

    /**
     * An SSE stream and a polling group member with {@code isolation_level=read_committed} get a transaction's records
     * once it commits and never an aborted one's, in offset order; a read_uncommitted stream gets every record. A
     * read_committed member that starts at {@code latest} while a transaction is open starts at its first record (the
     * last stable offset), so it gets the transaction's records once it commits.
     */
    @Test
    void readCommittedStreamsAndGroupMembersGetCommittedTransactionsOnly() throws Exception {
        String topic = "txn-http-stream";
        cluster.createTopic(topic, 1, 3, Map.of());
        String records = cluster.gatewayUrl() + "/v1/topics/" + topic + "/partitions/0/records?format=string";
        try (KafkaProducer<byte[], byte[]> producer = producer("http-streamer", 60_000);
                SseStream committed = SseStream.open(cluster.http(),
                        URI.create(records + "&offset=0&isolation_level=read_committed"), null, 64);
                SseStream everything = SseStream.open(cluster.http(), URI.create(records + "&offset=0"), null, 64)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "aborted-0"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record(topic, 0, "committed-0"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record(topic, 0, "open-0"));
            producer.flush();
            JsonNode latest = cluster.postJson("/v1/groups/txn-latest/members", "{\"topics\": [\"" + topic
                    + "\"], \"auto_offset_reset\": \"latest\", \"isolation_level\": \"read_committed\"}").json();
            JsonNode earliest = cluster.postJson("/v1/groups/txn-earliest/members", "{\"topics\": [\"" + topic
                    + "\"], \"auto_offset_reset\": \"earliest\", \"isolation_level\": \"read_committed\"}").json();

            assertThat(recordValues(committed, 1)).containsExactly("committed-0");
            assertThat(recordValues(everything, 3)).containsExactly("aborted-0", "committed-0", "open-0");
            producer.commitTransaction();
            assertThat(recordValues(committed, 1)).as("the next record once the open transaction commits")
                    .containsExactly("open-0");
            assertThat(polledValues("txn-earliest", earliest, 2)).containsExactly("committed-0", "open-0");
            assertThat(polledValues("txn-latest", latest, 1)).containsExactly("open-0");
        }
    }

    /** The values of the next {@code count} record events of {@code stream} (30 s at most for each). */
    private static List<String> recordValues(SseStream stream, int count) {
        assertThat(stream.status()).as(stream.errorBody()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            SseStream.Event event = stream.next(Duration.ofSeconds(1));
            if (event != null && "record".equals(event.event())) {
                values.add(GatewayCluster.JSON.readTree(event.data()).path("value").asString());
            }
        }
        return values;
    }

    /** The values a polling member (as {@code joined} answered its join) reads until it has {@code count} (30 s). */
    private static List<String> polledValues(String group, JsonNode joined, int count) {
        String member = joined.path("member_id").asString();
        String cursor = joined.path("cursor").asString();
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            GatewayCluster.Response polled = cluster.postJson("/v1/groups/" + group + "/members/" + member + "/poll",
                    "{\"cursor\": \"" + cursor + "\", \"wait_ms\": 500, \"format\": \"string\"}");
            assertThat(polled.status()).as(polled.text()).isEqualTo(200);
            cursor = polled.json().path("cursor").asString();
            polled.json().path("records").forEach(record -> values.add(record.path("value").asString()));
        }
        return values;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation) {
        return consumer(isolation, null);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation, String groupOrNull) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        if (groupOrNull != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupOrNull);
        }
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Record values read until two seconds pass without one. */
    private static List<String> readUntilQuiet(KafkaConsumer<byte[], byte[]> consumer) {
        List<String> values = new ArrayList<>();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < Duration.ofSeconds(2).toNanos()) {
            for (var record : consumer.poll(Duration.ofMillis(200))) {
                values.add(new String(record.value(), StandardCharsets.UTF_8));
                quietSince = System.nanoTime();
            }
        }
        return values;
    }

    @Test
    void aNewProducerInstanceFencesTheOldOneAndAbortsItsOpenTransaction() throws Exception {
        String topic = "txn-fence";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> old = producer("fence", 60_000);
             KafkaProducer<byte[], byte[]> fresh = producer("fence", 60_000); Admin admin = admin()) {
            old.initTransactions();
            old.beginTransaction();
            old.send(record(topic, 0, "zombie")).get();

            fresh.initTransactions();
            assertThat(describe(admin, "fence").producerEpoch()).as("the abort's epoch, then the new instance's")
                    .isEqualTo((short) 2);

            assertThatThrownBy(old::commitTransaction).isInstanceOfAny(ProducerFencedException.class,
                    InvalidProducerEpochException.class);
            fresh.beginTransaction();
            fresh.send(record(topic, 0, "fresh"));
            fresh.commitTransaction();
            awaitState(admin, "fence", TransactionState.COMPLETE_COMMIT);
            // The zombie's record, its abort marker, the fresh record, its commit marker.
            assertThat(cluster.highWatermarks(topic)).containsExactly(4L);
        }
    }

    @Test
    void offsetsSentToATransactionAreTheGroupsOnlyOnceItCommits() throws Exception {
        String topic = "txn-offsets";
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition input = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer("offsets", 60_000); Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "out-1")).get();
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(5)),
                    new ConsumerGroupMetadata("copier"));
            producer.abortTransaction();
            awaitState(admin, "offsets", TransactionState.COMPLETE_ABORT);
            assertThat(committed(admin, "copier")).as("aborted: nothing committed").doesNotContainKey(input);

            producer.beginTransaction();
            producer.send(record(topic, 0, "out-2"));
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(7, "meta")),
                    new ConsumerGroupMetadata("copier"));
            producer.commitTransaction();
            awaitState(admin, "offsets", TransactionState.COMPLETE_COMMIT);
            assertThat(committed(admin, "copier")).containsEntry(input, new OffsetAndMetadata(7, "meta"));
        }
    }

    /**
     * KIP-447's zombie fence: a transaction commits a group's offsets as the member its consumer is (its
     * {@code groupMetadata()}). While the member is the group's, at its epoch, the commit goes through; once the member
     * has left the group — its partitions free for another member, as after a pause past its session — the same
     * producer's commit of offsets as that member is refused (Kafka's producer throws CommitFailedException) and the
     * transaction aborts: its output is never read committed and the group's offset stays where it was. So are a
     * member the group never had and an epoch the member is not at.
     */
    @Test
    void aTransactionCommittingOffsetsAsAMemberTheGroupNoLongerHasIsRefusedAndAborts() throws Exception {
        String input = "txn-zombie-in";
        String output = "txn-zombie-out";
        String group = "txn-zombie";
        cluster.createTopic(input, 1, 3, Map.of());
        cluster.createTopic(output, 1, 3, Map.of());
        TopicPartition in = new TopicPartition(input, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer("zombie", 60_000); Admin admin = admin()) {
            try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                for (int i = 0; i < 10; i++) {
                    plain.send(record(input, 0, "in-" + i)).get();
                }
            }
            ConsumerGroupMetadata member;
            try (KafkaConsumer<byte[], byte[]> consumer = groupConsumer(group)) {
                consumer.subscribe(List.of(input));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200));
                }
                assertThat(consumer.assignment()).as("the consumer's partition").containsExactly(in);
                member = consumer.groupMetadata();
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(record(output, 0, "processed-0-4")).get();
                producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(5)), member);
                producer.commitTransaction();
                awaitState(admin, "zombie", TransactionState.COMPLETE_COMMIT);
                assertThat(committed(admin, group)).containsEntry(in, new OffsetAndMetadata(5));

                ConsumerGroupMetadata unknown = new ConsumerGroupMetadata(group, member.generationId(),
                        "no-such-member", Optional.empty());
                ConsumerGroupMetadata otherEpoch = new ConsumerGroupMetadata(group, member.generationId() + 1,
                        member.memberId(), Optional.empty());
                for (ConsumerGroupMetadata refused : List.of(unknown, otherEpoch)) {
                    producer.beginTransaction();
                    producer.send(record(output, 0, "refused")).get();
                    assertThatThrownBy(() -> producer.sendOffsetsToTransaction(Map.of(in,
                            new OffsetAndMetadata(7)), refused)).isInstanceOf(CommitFailedException.class);
                    producer.abortTransaction();
                }
            }
            // The consumer has left the group: the producer is now a zombie of that member.
            producer.beginTransaction();
            producer.send(record(output, 0, "processed-5-9-by-a-zombie")).get();
            assertThatThrownBy(() -> producer.sendOffsetsToTransaction(Map.of(in, new OffsetAndMetadata(10)),
                    member)).isInstanceOf(CommitFailedException.class);
            producer.abortTransaction();
            awaitState(admin, "zombie", TransactionState.COMPLETE_ABORT);

            assertThat(committed(admin, group)).as("the group's offset where the member left it")
                    .containsEntry(in, new OffsetAndMetadata(5));
            try (KafkaConsumer<byte[], byte[]> reader = consumer(IsolationLevel.READ_COMMITTED)) {
                reader.assign(List.of(new TopicPartition(output, 0)));
                reader.seekToBeginning(reader.assignment());
                assertThat(readUntilQuiet(reader)).containsExactly("processed-0-4");
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> groupConsumer(String group) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * KIP-447: a read_committed consumer asks for stable offsets, so while a transaction holds newer offsets for its
     * group it is kept waiting (UNSTABLE_OFFSET_COMMIT, retried by the client) instead of being given the older offset
     * and processing the transaction's input a second time; once the transaction commits it starts after its offsets.
     */
    @Test
    void aReadCommittedConsumerWaitsForOffsetsAnOpenTransactionHoldsThenStartsAfterThem() throws Exception {
        String topic = "txn-stable-offsets";
        String group = "stable-copier";
        cluster.createTopic(topic, 1, 3, Map.of());
        TopicPartition input = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = producer("stable-offsets", 60_000); Admin admin = admin();
             KafkaConsumer<byte[], byte[]> consumer = consumer(IsolationLevel.READ_COMMITTED, group)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 10; i++) {
                producer.send(record(topic, 0, "in-" + i));
            }
            producer.commitTransaction();
            admin.alterConsumerGroupOffsets(group, Map.of(input, new OffsetAndMetadata(3))).all().get();
            producer.beginTransaction();
            producer.send(record(topic, 0, "out")).get();
            producer.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(8)), new ConsumerGroupMetadata(group));

            consumer.assign(List.of(input));
            assertThatThrownBy(() -> consumer.committed(Set.of(input), Duration.ofSeconds(3)))
                    .as("the offset the open transaction holds is unstable")
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            assertThat(committed(admin, group)).as("a reader that does not ask for stable offsets sees the old one")
                    .containsEntry(input, new OffsetAndMetadata(3));

            producer.commitTransaction();
            assertThat(consumer.committed(Set.of(input), Duration.ofSeconds(30)))
                    .containsEntry(input, new OffsetAndMetadata(8));
            assertThat(consumer.position(input, Duration.ofSeconds(30))).isEqualTo(8);
        }
    }

    @Test
    void aTransactionOpenPastItsTimeoutIsAbortedAndItsProducerFenced() throws Exception {
        String topic = "txn-timeout";
        cluster.createTopic(topic, 1, 3, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("slow", 1_000); Admin admin = admin()) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record(topic, 0, "late")).get();
            awaitState(admin, "slow", TransactionState.COMPLETE_ABORT);
            assertThat(describe(admin, "slow").producerEpoch()).isEqualTo((short) 1);
            assertThatThrownBy(producer::commitTransaction).isInstanceOfAny(ProducerFencedException.class,
                    InvalidProducerEpochException.class);
            assertThat(cluster.highWatermarks(topic)).as("the record and the coordinator's abort marker")
                    .containsExactly(2L);
        }
    }

    @Test
    @Order(100)
    void kafkasTransactionalMessageCopierCopiesEveryRecordExactlyOnceAcrossALeaderKillWithRandomAborts()
            throws Exception {
        copyAcross("leader", (input, output) -> {
            int victim = cluster.leader(output, 0);
            cluster.processes().kill(LocalCluster.partition(victim));
            return () -> cluster.processes().start(LocalCluster.partition(victim));
        });
    }

    /**
     * The coordinator is SIGKILLed while the copier's transactions run and started again: the new one takes over
     * from Redis (a new fencing token), finishes any transaction it finds decided and not yet completed, and the
     * producer goes on once it answers.
     */
    @Test
    @Order(101)
    void kafkasTransactionalMessageCopierCopiesEveryRecordExactlyOnceAcrossACoordinatorKillWithRandomAborts()
            throws Exception {
        copyAcross("coordinator", (input, output) -> {
            cluster.processes().kill(LocalCluster.COORDINATOR);
            cluster.processes().start(LocalCluster.COORDINATOR);
            return () -> { };
        });
    }

    /** A fault done to the cluster while the copier runs; what it returns is done after the copier ended. */
    @FunctionalInterface
    private interface Fault {
        Runnable inflict(String input, String output);
    }

    /**
     * Kafka's TransactionalMessageCopier (random aborts, transactions of 200) copies 10,000 records from one
     * partition to another while {@code fault} hits the cluster four seconds in; a read_committed reader of the
     * output then finds every input record once, in order.
     */
    private static void copyAcross(String name, Fault fault) throws Exception {
        String input = "copier-in-" + name;
        String output = "copier-out-" + name;
        cluster.createTopic(input, 1, 3, Map.of());
        cluster.createTopic(output, 1, 3, Map.of("min.insync.replicas", "2"));
        int count = 10_000;
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafkaBootstrap()), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                plain.send(record(input, 0, "record-" + i));
            }
        }
        ExecutorService tool = Executors.newSingleThreadExecutor();
        Future<KafkaTools.ToolRun> copier = tool.submit(() -> KafkaTools.runInJvm(TransactionalMessageCopier.class,
                "--broker-list", cluster.kafkaBootstrap(), "--transactional-id", "copier-" + name, "--input-topic",
                input, "--input-partition", "0", "--output-topic", output, "--max-messages", "-1", "--consumer-group",
                "copier-group-" + name, "--transaction-size", "200", "--transaction-timeout", "30000",
                "--enable-random-aborts", "--use-group-metadata"));
        KafkaTools.ToolRun run;
        try {
            GatewayCluster.sleep(Duration.ofSeconds(4));
            Runnable heal = fault.inflict(input, output);
            run = copier.get(3, TimeUnit.MINUTES);
            heal.run();
        } finally {
            tool.shutdownNow(); // a copier still running (the fault failed) is killed with its thread
        }
        assertThat(run.exitCode()).as(run.out()).isZero();

        List<String> copied;
        try (KafkaConsumer<byte[], byte[]> reader = consumer(IsolationLevel.READ_COMMITTED)) {
            TopicPartition out = new TopicPartition(output, 0);
            reader.assign(List.of(out));
            reader.seekToBeginning(List.of(out));
            copied = readUntilQuiet(reader);
        }
        assertThat(copied).as("the committed output: every input record once, in order").hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(copied.get(i)).isEqualTo("record-" + i);
        }
        System.out.printf("[figure] TransactionalMessageCopier across a %s SIGKILL with random aborts: %d records,"
                + " %d read committed%n", name, count, copied.size());
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group)
            throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            offsets.values().removeIf(java.util.Objects::isNull);
            return offsets;
        } catch (ExecutionException e) {
            return Map.of(); // no such group yet
        }
    }

    private static void awaitState(Admin admin, String transactionalId, TransactionState state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        TransactionState now = describe(admin, transactionalId).state();
        while (now != state && System.nanoTime() < deadline) {
            GatewayCluster.sleep(Duration.ofMillis(100));
            now = describe(admin, transactionalId).state();
        }
        assertThat(now).as("state of %s", transactionalId).isEqualTo(state);
    }
}
