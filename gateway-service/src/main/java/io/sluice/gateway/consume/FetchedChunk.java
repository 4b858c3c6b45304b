package io.sluice.gateway.consume;

import io.sluice.gateway.format.Formats;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one fetch of a partition brought: its complete record batches from offset {@code from} up to {@code to}
 * (exclusive: where the next fetch starts, past control batches too). A chunk with {@code from == to} brought nothing.
 *
 * <p>Every subscriber of a shared tail is handed the same chunk, so the records are rendered, down to each one's
 * JSON text, once per distinct {@link Formats} and the renderings kept with the chunk; each subscriber then skips the
 * records before its own position. Immutable but for that cache; thread-safe.
 */
final class FetchedChunk {

    private final TopicPartition partition;
    private final long from;
    private final long to;
    private final ByteBuffer batches;
    private final Map<Formats, List<StreamedRecord>> rendered = new ConcurrentHashMap<>(2);

    private FetchedChunk(TopicPartition partition, long from, long to, ByteBuffer batches) {
        this.partition = partition;
        this.from = from;
        this.to = to;
        this.batches = batches;
    }

    /** The complete batches of {@code records}, a fetch of {@code partition} from {@code from} (a partial tail is left out). */
    static FetchedChunk of(TopicPartition partition, long from, ByteBuffer records) {
        long to = from;
        BufferBatchIterator batches = BufferBatchIterator.of(records);
        while (batches.hasNext()) {
            to = Math.max(to, batches.next().nextOffset());
        }
        return new FetchedChunk(partition, from, to, records.slice(records.position(), batches.validBytes()));
    }

    long from() {
        return from;
    }

    long to() {
        return to;
    }

    boolean isEmpty() {
        return to == from;
    }

    /** The chunk's records at or after {@code position}, rendered in {@code formats}. */
    List<StreamedRecord> records(long position, Formats formats, RecordRenderer renderer) {
        List<StreamedRecord> all = rendered.computeIfAbsent(formats,
                wanted -> renderer.renderForStreams(partition, batches, from, wanted));
        int first = 0;
        while (first < all.size() && all.get(first).offset() < position) {
            first++;
        }
        return all.subList(first, all.size());
    }
}
