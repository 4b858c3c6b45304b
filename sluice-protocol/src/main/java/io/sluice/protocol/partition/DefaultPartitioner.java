package io.sluice.protocol.partition;

/**
 * Kafka's partition choice for keyed records: {@code toPositive(murmur2(key)) % partitions}, bit for bit as
 * {@code org.apache.kafka.clients.producer.internals.BuiltInPartitioner#partitionForKey}, so a key lands on the
 * same partition whether it was produced through Sluice or through a Kafka client. Stateless and thread-safe.
 */
public final class DefaultPartitioner {

    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;

    private DefaultPartitioner() {
    }

    /** The partition in {@code [0, partitions)} for a non-null serialized key. */
    public static int partitionForKey(byte[] key, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be > 0, was " + partitions);
        }
        return toPositive(murmur2(key)) % partitions;
    }

    /** 32-bit MurmurHash2 with Kafka's seed; Kafka reads the tail bytes as unsigned, as done here. */
    public static int murmur2(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int fullWords = length / 4;
        for (int i = 0; i < fullWords; i++) {
            int at = i * 4;
            int k = (data[at] & 0xff) | ((data[at + 1] & 0xff) << 8) | ((data[at + 2] & 0xff) << 16)
                    | ((data[at + 3] & 0xff) << 24);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h *= M;
            h ^= k;
        }
        int tail = length & ~3;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                h ^= data[tail] & 0xff;
                h *= M;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /** Kafka's {@code Utils.toPositive}: clears the sign bit (not {@code Math.abs}, which keeps MIN_VALUE negative). */
    public static int toPositive(int n) {
        return n & 0x7fffffff;
    }
}
