package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary body of an internal fetch response ({@value #CONTENT_TYPE}), for consumers and followers alike. Each
 * partition's section is a fixed header followed by raw record batches, so a leader can write the header from memory
 * and the batches straight from a segment file (zero copy):
 * <pre>
 *   response  := partitionCount:int32 section*
 *   section   := header records:byte[size]
 *   header    := topicLength:int16 topic:utf8 partition:int32 errorLength:int16 error:utf8
 *                highWatermark:int64 lastStableOffset:int64 logStartOffset:int64 logEndOffset:int64
 *                abortedCount:int32 aborted* size:int32
 *   aborted   := producerId:int64 firstOffset:int64
 * </pre>
 * {@code error} is an {@link ErrorCode} name, empty when the partition was read. {@code aborted} lists, for a
 * read_committed fetch, the aborted transactions with records among those returned (Kafka's aborted_transactions);
 * other fetches have none. The records may end with a partial
 * batch when a byte limit cut them; readers stop at it (see {@code BufferBatchIterator}).
 */
public final class FetchResponseCodec {

    public static final String CONTENT_TYPE = "application/vnd.sluice.fetch";

    private FetchResponseCodec() {
    }

    /** The response's first four bytes. */
    public static ByteBuffer count(int partitions) {
        return ByteBuffer.allocate(4).putInt(0, partitions);
    }

    /**
     * One section's header for a read without transactions' bounds (the last stable offset is given as the high
     * watermark, no aborted transaction); the caller sends {@code recordsSize} bytes of batches right after it.
     */
    public static ByteBuffer header(TopicPartition partition, ErrorCode error, long highWatermark, long logStartOffset,
                                    long logEndOffset, int recordsSize) {
        return header(partition, error, highWatermark, highWatermark, logStartOffset, logEndOffset, List.of(),
                recordsSize);
    }

    /** One section's header; the caller sends {@code recordsSize} bytes of batches right after it. */
    public static ByteBuffer header(TopicPartition partition, ErrorCode error, long highWatermark,
                                    long lastStableOffset, long logStartOffset, long logEndOffset,
                                    List<AbortedTransaction> aborted, int recordsSize) {
        String topic = partition.topic();
        String errorName = error == null ? "" : error.name();
        ByteBuffer out = ByteBuffer.allocate(WireStrings.size(topic) + 4 + WireStrings.size(errorName) + 8 * 4 + 4
                + 16 * aborted.size() + 4);
        WireStrings.write(out, topic);
        out.putInt(partition.partition());
        WireStrings.write(out, errorName);
        out.putLong(highWatermark).putLong(lastStableOffset).putLong(logStartOffset).putLong(logEndOffset)
                .putInt(aborted.size());
        aborted.forEach(txn -> out.putLong(txn.producerId()).putLong(txn.firstOffset()));
        out.putInt(recordsSize);
        return out.flip();
    }

    /** Parses a whole response; record bytes are slices of {@code body}. */
    public static List<FetchedPartition> decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        try {
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 48) {
                throw invalid("declares " + count + " partitions in " + body.remaining() + " bytes");
            }
            List<FetchedPartition> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = WireStrings.read(in);
                int partition = in.getInt();
                String error = WireStrings.read(in);
                long highWatermark = in.getLong();
                long lastStableOffset = in.getLong();
                long logStartOffset = in.getLong();
                long logEndOffset = in.getLong();
                int abortedCount = in.getInt();
                if (abortedCount < 0 || abortedCount > in.remaining() / 16) {
                    throw invalid("declares " + abortedCount + " aborted transactions with " + in.remaining()
                            + " bytes left");
                }
                List<AbortedTransaction> aborted = new ArrayList<>(abortedCount);
                for (int a = 0; a < abortedCount; a++) {
                    aborted.add(new AbortedTransaction(in.getLong(), in.getLong()));
                }
                int size = in.getInt();
                if (size < 0 || size > in.remaining()) {
                    throw invalid("declares " + size + " record bytes with " + in.remaining() + " left");
                }
                ByteBuffer records = in.slice(in.position(), size);
                in.position(in.position() + size);
                partitions.add(new FetchedPartition(new TopicPartition(topic, partition),
                        error.isEmpty() ? null : ErrorCode.forName(error), highWatermark, lastStableOffset,
                        logStartOffset, logEndOffset, aborted, records));
            }
            return partitions;
        } catch (BufferUnderflowException e) {
            throw invalid("ends early");
        }
    }


    private static SluiceException invalid(String reason) {
        return ErrorCode.INVALID_REQUEST.exception("Fetch response " + reason);
    }

    /** One partition of a fetch response; {@code error} is null when the partition was read. */
    public record FetchedPartition(TopicPartition partition, ErrorCode error, long highWatermark,
                                   long lastStableOffset, long logStartOffset, long logEndOffset,
                                   List<AbortedTransaction> abortedTransactions, ByteBuffer records) {

        public FetchedPartition {
            abortedTransactions = List.copyOf(abortedTransactions);
        }

        /** A partition read without transactions' bounds: its last stable offset is its high watermark. */
        public FetchedPartition(TopicPartition partition, ErrorCode error, long highWatermark, long logStartOffset,
                                long logEndOffset, ByteBuffer records) {
            this(partition, error, highWatermark, highWatermark, logStartOffset, logEndOffset, List.of(), records);
        }
    }

    /** An aborted transaction a read_committed reader filters: its producer and its first offset. */
    public record AbortedTransaction(long producerId, long firstOffset) {
    }
}
