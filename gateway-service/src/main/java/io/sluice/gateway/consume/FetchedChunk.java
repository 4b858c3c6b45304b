package io.sluice.gateway.consume;

import io.sluice.gateway.format.Formats;
import io.sluice.internal.partition.AbortedBatches;
import io.sluice.internal.partition.FetchResponseCodec.AbortedTransaction;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.record.BufferBatchIterator;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * What one fetch of a partition brought: its complete record batches from offset {@code from} up to {@code to}
 * (exclusive: where the next fetch starts, past control batches too). A chunk with {@code from == to} brought nothing.
 *
 * <p>Every subscriber of a shared tail is handed the same chunk, so the records are rendered, down to each one's
 * JSON text, once per distinct {@link Formats} and the renderings kept with the chunk; each subscriber then skips the
 * records before its own position. Formats that decode with registered schemas look the chunk's schema ids up first
 * ({@link ReadSchemas}); the first rendering in such formats is kept with the schemas it found. Immutable but for
 * that cache; thread-safe.
 */
final class FetchedChunk {

    private final TopicPartition partition;
    private final long from;
    private final long to;
    private final ByteBuffer batches;
    private final List<AbortedTransaction> aborted;
    private final Map<Formats, List<StreamedRecord>> rendered = new ConcurrentHashMap<>(2);

    private FetchedChunk(TopicPartition partition, long from, long to, ByteBuffer batches,
                         List<AbortedTransaction> aborted) {
        this.partition = partition;
        this.from = from;
        this.to = to;
        this.batches = batches;
        this.aborted = List.copyOf(aborted);
    }

    /**
     * The complete batches of {@code records}, a fetch of {@code partition} from {@code from} (a partial tail is left
     * out); {@code aborted}: the aborted transactions a read_committed fetch named, whose records are left out.
     */
    static FetchedChunk of(TopicPartition partition, long from, ByteBuffer records, List<AbortedTransaction> aborted) {
        long to = from;
        BufferBatchIterator batches = BufferBatchIterator.of(records);
        while (batches.hasNext()) {
            to = Math.max(to, batches.next().nextOffset());
        }
        return new FetchedChunk(partition, from, to, records.slice(records.position(), batches.validBytes()), aborted);
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
    Mono<List<StreamedRecord>> records(long position, Formats formats, RecordRenderer renderer, ReadSchemas schemas) {
        List<StreamedRecord> done = rendered.get(formats);
        if (done != null) {
            return Mono.just(from(done, position));
        }
        return schemas.of(batches, from, formats).map(known -> from(rendered.computeIfAbsent(formats,
                wanted -> renderer.renderForStreams(partition, batches, from, wanted, AbortedBatches.of(aborted),
                        known)), position));
    }

    private static List<StreamedRecord> from(List<StreamedRecord> all, long position) {
        int first = 0;
        while (first < all.size() && all.get(first).offset() < position) {
            first++;
        }
        return all.subList(first, all.size());
    }
}
