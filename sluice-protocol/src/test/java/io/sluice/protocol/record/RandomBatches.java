package io.sluice.protocol.record;

import io.sluice.protocol.record.BatchSpec.RecordSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random batches for the oracle tests, which must cover every codec deterministically (a parameterized test
 * per {@link CompressionType}) rather than by chance. Every batch obeys what Kafka's own builder insists on
 * (timestamps >= 0 or -1, producer epoch and sequence set whenever the producer id is, transactional only with a
 * producer id), so it can be written by either side; {@link #batch} may also set the control flag.
 */
final class RandomBatches {

    private final Random random;

    RandomBatches(long seed) {
        this.random = new Random(seed);
    }

    /** A batch Kafka's MemoryRecordsBuilder can also write: never a control batch. */
    BatchSpec kafkaWritable(CompressionType compression) {
        return generate(compression, false);
    }

    /** Any batch, control flag included. */
    BatchSpec batch(CompressionType compression) {
        return generate(compression, random.nextInt(5) == 0);
    }

    private BatchSpec generate(CompressionType compression, boolean control) {
        long baseOffset = random.nextLong(1L << 50);
        int epoch = random.nextInt(5) == 0 ? RecordBatch.NO_PARTITION_LEADER_EPOCH : random.nextInt(1_000_000);
        boolean logAppendTime = random.nextInt(4) == 0;
        long appendTime = logAppendTime ? random.nextLong(BatchArbitraries.MAX_TIMESTAMP) : RecordBatch.NO_TIMESTAMP;
        boolean idempotent = random.nextBoolean();
        long producerId = idempotent ? random.nextLong(1L << 62) : RecordBatch.NO_PRODUCER_ID;
        short producerEpoch = idempotent ? (short) random.nextInt(Short.MAX_VALUE + 1) : RecordBatch.NO_PRODUCER_EPOCH;
        int baseSequence = !idempotent ? RecordBatch.NO_SEQUENCE
                : random.nextInt(5) == 0 ? Integer.MAX_VALUE - random.nextInt(20) // wraps to 0 inside the batch
                : random.nextInt(Integer.MAX_VALUE);
        boolean transactional = idempotent && random.nextBoolean();
        return new BatchSpec(compression, baseOffset, epoch,
                logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME, appendTime,
                producerId, producerEpoch, baseSequence, transactional, control, records(1 + random.nextInt(30)));
    }

    List<RecordSpec> records(int count) {
        long base = random.nextLong(BatchArbitraries.MAX_TIMESTAMP);
        List<RecordSpec> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long timestamp = random.nextInt(20) == 0 ? RecordBatch.NO_TIMESTAMP
                    : Math.max(0, base + random.nextLong(-1_000_000, 1_000_000));
            records.add(new RecordSpec(timestamp, bytes(0.2, 64), bytes(0.1, 2_000), headers()));
        }
        return records;
    }

    private List<Header> headers() {
        int roll = random.nextInt(10);
        if (roll < 5) {
            return List.of();
        }
        boolean many = roll == 9;
        int count = many ? random.nextInt(40) : 1 + random.nextInt(3);
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new Header(headerKey(), bytes(0.15, many ? 4_096 : 32)));
        }
        return headers;
    }

    /** Mostly ASCII, with 2-, 3- and 4-byte UTF-8 code points mixed in. */
    private String headerKey() {
        StringBuilder key = new StringBuilder();
        int length = random.nextInt(16);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            int codePoint = kind < 6 ? 0x20 + random.nextInt(0x5f)
                    : kind < 8 ? 0x80 + random.nextInt(0x780)
                    : kind < 9 ? 0x4e00 + random.nextInt(0x5000)
                    : 0x1f300 + random.nextInt(0x300);
            key.appendCodePoint(codePoint);
        }
        return key.toString();
    }

    /** Null with probability {@code nullChance}, else empty (5%), large (3%, up to 100 KiB) or up to {@code usualMax}. */
    private byte[] bytes(double nullChance, int usualMax) {
        if (random.nextDouble() < nullChance) {
            return null;
        }
        int roll = random.nextInt(100);
        int length = roll < 5 ? 0 : roll < 8 ? random.nextInt(100 * 1024) : random.nextInt(usualMax + 1);
        return BatchArbitraries.fill(length, random.nextLong(), random.nextBoolean());
    }
}
