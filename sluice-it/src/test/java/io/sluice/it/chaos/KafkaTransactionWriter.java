package io.sluice.it.chaos;

import io.sluice.it.chaos.TransactionHistory.Outcome;
import io.sluice.it.chaos.TransactionHistory.Transaction;
import io.sluice.it.chaos.TransactionHistory.TxnRecord;
import io.sluice.protocol.TopicPartition;
import io.sluice.testing.Waits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka transactional producer (kafka-clients from Maven Central) in a fault run, beside the HTTP transactions and
 * judged with them by the {@link ReadCommittedChecker}: one transaction at a time under one {@code transactional.id},
 * one or two records to each of three or four of the transactional topics' partitions (values
 * {@code <transaction>-<n>}), then a commit (two in three, drawn from the seed) or an abort. Outcomes as the client's
 * answers decide them: {@code commitTransaction} returned, committed; the commit never asked for (an abort, or a send
 * that failed first), aborted; a commit that threw, unknown (it may have been written). After any error the producer
 * is closed and a new one made: its {@code initTransactions} finishes what the old one left open.
 */
final class KafkaTransactionWriter implements AutoCloseable {

    static final String TRANSACTIONAL_ID = "chaos-kafka-txn";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final String bootstrap;
    private final List<TopicPartition> partitions;
    private final TransactionHistory history;
    private final Random random;
    private final ThreadFailures threadFailures = new ThreadFailures();
    private final Thread thread;
    private volatile boolean writing = true;

    private KafkaTransactionWriter(String bootstrap, List<TopicPartition> partitions, long seed,
                                   TransactionHistory history) {
        this.bootstrap = bootstrap;
        this.partitions = List.copyOf(partitions);
        this.history = history;
        this.random = new Random(seed * 53 + 7);
        this.thread = Thread.ofPlatform().name("chaos-kafka-txn-writer").unstarted(
                threadFailures.guarded("the Kafka transactional producer", this::write));
    }

    static KafkaTransactionWriter start(String bootstrap, List<TopicPartition> partitions, long seed,
                                        TransactionHistory history) {
        KafkaTransactionWriter writer = new KafkaTransactionWriter(bootstrap, partitions, seed, history);
        writer.thread.start();
        return writer;
    }

    private void write() {
        long sequence = 0;
        while (writing) {
            KafkaProducer<byte[], byte[]> producer = producer();
            try {
                producer.initTransactions();
                while (writing && transaction(producer, "k-" + sequence++)) {
                    Waits.sleep(PAUSE);
                }
            } catch (RuntimeException e) {
                // initTransactions refused or timed out while a coordinator was away: a new producer tries again.
                Waits.sleep(Duration.ofMillis(500));
            } finally {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** One transaction, recorded; whether the producer may go on (false after an error). */
    private boolean transaction(KafkaProducer<byte[], byte[]> producer, String id) {
        boolean commit = random.nextInt(3) != 0;
        List<TxnRecord> records = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            producer.beginTransaction();
            for (TxnRecord record : records(id)) {
                records.add(record);
                sent.add(producer.send(new ProducerRecord<>(record.topic(), record.partition(), null,
                        record.value().getBytes(StandardCharsets.UTF_8))));
            }
            List<TxnRecord> written = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                long offset = sent.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
                TxnRecord record = records.get(i);
                written.add(new TxnRecord(record.topic(), record.partition(), record.value(), offset));
            }
            records = written;
        } catch (Exception e) {
            // The commit is never asked for: none of the records can become visible.
            record(id, records, Outcome.ABORTED, "send " + describe(e));
            return false;
        }
        return commit ? end(id, records, "commit", producer::commitTransaction, Outcome.COMMITTED, Outcome.UNKNOWN)
                : end(id, records, "abort", producer::abortTransaction, Outcome.ABORTED, Outcome.ABORTED);
    }

    /**
     * Ends the transaction with {@code action} ({@code what}), recorded as {@code done} if it returned and as
     * {@code failed} if it threw; whether the producer may go on.
     */
    private boolean end(String id, List<TxnRecord> records, String what, Runnable action, Outcome done,
                        Outcome failed) {
        try {
            action.run();
            record(id, records, done, what);
            return true;
        } catch (RuntimeException e) {
            record(id, records, failed, what + " " + describe(e));
            return false;
        }
    }

    private void record(String id, List<TxnRecord> records, Outcome outcome, String detail) {
        history.transaction(new Transaction(id, TransactionHistory.Kind.KAFKA, records, outcome, detail));
    }

    /** One or two records to each of three or four partitions, values {@code <id>-<n>}; offsets not known yet. */
    private List<TxnRecord> records(String id) {
        List<TopicPartition> chosen = new ArrayList<>(partitions);
        Collections.shuffle(chosen, random);
        chosen = chosen.subList(0, Math.min(chosen.size(), 3 + random.nextInt(Math.max(1, partitions.size() - 2))));
        List<TxnRecord> records = new ArrayList<>();
        int n = 0;
        for (TopicPartition tp : chosen) {
            int count = 1 + random.nextInt(2);
            for (int i = 0; i < count; i++) {
                records.add(new TxnRecord(tp.topic(), tp.partition(), id + "-" + n++, -1));
            }
        }
        return records;
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "20000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                ? e.getCause() : e;
        return cause.getClass().getSimpleName();
    }

    /** Stops after the transaction under way is decided, and waits for it. */
    void stop() {
        writing = false;
        try {
            thread.join(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<String> threadFailures() {
        return threadFailures.all();
    }

    @Override
    public void close() {
        stop();
    }
}
