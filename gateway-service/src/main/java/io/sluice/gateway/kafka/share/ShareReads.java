package io.sluice.gateway.kafka.share;

import io.sluice.gateway.routing.PartitionReader;
import io.sluice.internal.partition.FetchRequest;
import io.sluice.internal.partition.FetchResponseCodec.FetchedPartition;
import io.sluice.internal.share.ShareAcquireRequest;
import io.sluice.internal.share.ShareAcquireResponse;
import io.sluice.internal.share.ShareGroupApi;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Takes records of one share-partition for a Kafka share consumer, as the HTTP acquisitions do but with the leader's
 * raw batches: asks the coordinator first for what is available again (an empty read, which also answers the
 * share-partition's end offset), then reads the log's raw batches from that end offset and passes the offsets of the
 * records it read (control batches are gaps), which the coordinator locks as far as its window allows. The answer is
 * the batches holding the acquired records, in offset order and each once (records delivered again are read from the
 * log where they are), and the acquired records as ranges of consecutive offsets with one delivery count — the client
 * keeps only the records its ranges name. Nothing about the member stays here.
 *
 * <p>A record that retention removed since it was read has no batch left: the client takes its offset as a gap and
 * acknowledges it so; its lock otherwise expires, and the coordinator's window moves past it.
 */
@Component
class ShareReads {

    private final ShareGroupApi shares;
    private final PartitionReader reader;

    ShareReads(ShareGroupApi shares, PartitionReader reader) {
        this.shares = shares;
        this.reader = reader;
    }

    /** Records of a share-partition locked for a member: the batches holding them, and their ranges. */
    record Taken(TopicPartition partition, long endOffset, long highWatermark, ByteBuffer records,
                 List<ShareFetchResponseData.AcquiredRecords> ranges, int count, long firstLockDeadlineMs) {
    }

    /** Up to {@code room} records of {@code tp} for {@code memberId}, reading at most about {@code maxBytes}. */
    Mono<Taken> take(String group, String memberId, TopicPartition tp, int room, int maxBytes) {
        return reader.bounds(tp).flatMap(bounds -> shares.acquire(new ShareAcquireRequest(group, memberId,
                        tp.topic(), tp.partition(), room, bounds.logStartOffset(), bounds.highWatermark(), 0, 0,
                        List.of()))
                .flatMap(again -> {
                    int left = room - again.records().size();
                    if (left <= 0 || again.endOffset() >= bounds.highWatermark()) {
                        return withBatches(tp, again.endOffset(), bounds.highWatermark(), again.records(),
                                List.of(), maxBytes);
                    }
                    return read(tp, again.endOffset(), maxBytes).flatMap(read -> {
                        if (read.offsets().isEmpty() && read.to() <= again.endOffset()) {
                            return withBatches(tp, again.endOffset(), bounds.highWatermark(), again.records(),
                                    List.of(), maxBytes);
                        }
                        return shares.acquire(new ShareAcquireRequest(group, memberId, tp.topic(), tp.partition(),
                                        left, read.logStartOffset(), Math.max(read.highWatermark(), read.to()),
                                        again.endOffset(), read.to(), read.offsets()))
                                .flatMap(fresh -> {
                                    List<ShareAcquireResponse.AcquiredRecord> all = new ArrayList<>(again.records());
                                    all.addAll(fresh.records());
                                    return withBatches(tp, fresh.endOffset(), read.highWatermark(), all,
                                            read.batches(), maxBytes);
                                });
                    });
                }));
    }

    /**
     * Waits up to {@code waitMs} for a record at or above {@code offset} in {@code tp}'s log (what a long poll waits
     * on: records released by others wake nothing, so the caller waits in short steps).
     */
    Mono<Void> awaitRecords(List<TopicPartition> partitions, List<Long> offsets, long waitMs) {
        List<FetchRequest.Partition> asked = new ArrayList<>();
        for (int i = 0; i < partitions.size(); i++) {
            asked.add(new FetchRequest.Partition(partitions.get(i).topic(), partitions.get(i).partition(),
                    offsets.get(i), 1));
        }
        return asked.isEmpty() ? Mono.delay(java.time.Duration.ofMillis(waitMs)).then()
                : reader.fetchAll(asked, waitMs, 1, 1).then();
    }

    /** The log's raw batches of {@code tp} from {@code from}: batches, offsets of records at or above it, its end. */
    private record Read(List<Batch> batches, List<Long> offsets, long to, long logStartOffset, long highWatermark) {
    }

    /** One raw batch: its offsets and bytes. */
    private record Batch(long baseOffset, long lastOffset, ByteBuffer bytes, List<Long> offsets) {
    }

    private Mono<Read> read(TopicPartition tp, long from, int maxBytes) {
        return reader.fetchAll(List.of(new FetchRequest.Partition(tp.topic(), tp.partition(), from, maxBytes)), 0, 1,
                maxBytes).map(sections -> {
                    FetchedPartition section = sections.getFirst();
                    if (section.error() == ErrorCode.OFFSET_OUT_OF_RANGE && section.logStartOffset() > from) {
                        // Retention passed the share-partition's end: what is below the log start is a gap.
                        return new Read(List.of(), List.of(), section.logStartOffset(), section.logStartOffset(),
                                section.highWatermark());
                    }
                    if (section.error() != null) {
                        throw section.error().exception("Reading " + tp + " from offset " + from + " failed");
                    }
                    List<Batch> batches = batches(section.records());
                    List<Long> offsets = new ArrayList<>();
                    long to = from;
                    for (Batch batch : batches) {
                        batch.offsets().stream().filter(o -> o >= from).forEach(offsets::add);
                        to = Math.max(to, batch.lastOffset() + 1);
                    }
                    return new Read(batches, offsets, to, section.logStartOffset(), section.highWatermark());
                });
    }

    /** The whole batches of a leader's section, each with the offsets of its data records (none for control ones). */
    private static List<Batch> batches(ByteBuffer section) {
        List<Batch> batches = new ArrayList<>();
        ByteBuffer all = section.duplicate();
        int position = all.position();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(all.slice()).batches()) {
            int size = batch.sizeInBytes();
            ByteBuffer bytes = all.duplicate().position(position).limit(position + size).slice();
            position += size;
            List<Long> offsets = new ArrayList<>();
            if (!batch.isControlBatch()) {
                for (Record record : batch) {
                    offsets.add(record.offset());
                }
            }
            batches.add(new Batch(batch.baseOffset(), batch.lastOffset(), bytes, offsets));
        }
        return batches;
    }

    private Mono<Taken> withBatches(TopicPartition tp, long endOffset, long highWatermark,
                                    List<ShareAcquireResponse.AcquiredRecord> acquired, List<Batch> known,
                                    int maxBytes) {
        List<ShareAcquireResponse.AcquiredRecord> sorted = acquired.stream()
                .sorted(Comparator.comparingLong(ShareAcquireResponse.AcquiredRecord::offset)).toList();
        TreeMap<Long, Batch> byBase = new TreeMap<>();
        known.forEach(batch -> byBase.put(batch.baseOffset(), batch));
        TreeSet<Long> missing = new TreeSet<>();
        sorted.forEach(record -> {
            if (covering(byBase, record.offset()) == null) {
                missing.add(record.offset());
            }
        });
        return readMissing(tp, missing, byBase, maxBytes).then(Mono.fromSupplier(() ->
                taken(tp, endOffset, highWatermark, sorted, byBase)));
    }

    private static Batch covering(TreeMap<Long, Batch> byBase, long offset) {
        var entry = byBase.floorEntry(offset);
        return entry != null && entry.getValue().lastOffset() >= offset ? entry.getValue() : null;
    }

    private Mono<Void> readMissing(TopicPartition tp, TreeSet<Long> missing, TreeMap<Long, Batch> byBase,
                                   int maxBytes) {
        if (missing.isEmpty()) {
            return Mono.empty();
        }
        long from = missing.first();
        return read(tp, from, maxBytes).flatMap(read -> {
            read.batches().forEach(batch -> byBase.put(batch.baseOffset(), batch));
            missing.removeIf(offset -> covering(byBase, offset) != null);
            // Offsets the read did not reach past (removed by retention, or an empty answer) are given up on.
            missing.headSet(Math.max(read.to(), from + 1)).clear();
            return readMissing(tp, missing, byBase, maxBytes);
        });
    }

    private static Taken taken(TopicPartition tp, long endOffset, long highWatermark,
                               List<ShareAcquireResponse.AcquiredRecord> sorted, TreeMap<Long, Batch> byBase) {
        List<ShareFetchResponseData.AcquiredRecords> ranges = new ArrayList<>();
        TreeMap<Long, Batch> used = new TreeMap<>();
        long firstDeadline = Long.MAX_VALUE;
        ShareFetchResponseData.AcquiredRecords open = null;
        for (ShareAcquireResponse.AcquiredRecord record : sorted) {
            Batch batch = covering(byBase, record.offset());
            if (batch != null) {
                used.put(batch.baseOffset(), batch);
            }
            firstDeadline = Math.min(firstDeadline, record.lockDeadlineMs());
            if (open != null && open.lastOffset() + 1 == record.offset()
                    && open.deliveryCount() == record.deliveryCount()) {
                open.setLastOffset(record.offset());
            } else {
                open = new ShareFetchResponseData.AcquiredRecords().setFirstOffset(record.offset())
                        .setLastOffset(record.offset()).setDeliveryCount((short) record.deliveryCount());
                ranges.add(open);
            }
        }
        int size = used.values().stream().mapToInt(batch -> batch.bytes().remaining()).sum();
        ByteBuffer records = ByteBuffer.allocate(size);
        used.values().forEach(batch -> records.put(batch.bytes().duplicate()));
        records.flip();
        return new Taken(tp, endOffset, highWatermark, records, ranges, sorted.size(),
                firstDeadline == Long.MAX_VALUE ? -1 : firstDeadline);
    }
}
