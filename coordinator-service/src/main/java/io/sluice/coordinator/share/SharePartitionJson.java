package io.sluice.coordinator.share;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.sluice.internal.SluiceJson;
import io.sluice.internal.share.RecordState;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A share-partition's state as one JSON document, the form the coordinator stores in Redis. The window is written as
 * runs: records at consecutive offsets in the same state, with the same delivery count, member, lock deadline and
 * expiry, and consecutive acquisition ids — what one acquire and one acknowledgement of a range leave behind — are
 * one array, so a window of a few thousand records taken in a few batches stays a few hundred bytes:
 * <pre>
 * {"version":1,"start_offset":40,"end_offset":46,"next_acquisition_id":17,
 *  "runs":[[40,3,"ACQUIRED",1,"worker-1",11,1700000030000,false],
 *          [43,1,"ACKNOWLEDGED",2,"worker-2",14,1700000031000,false], ...]}
 *  run:   [first offset, count, state, delivery count, member id, first acquisition id, lock deadline ms,
 *          lock expired]
 * </pre>
 * A gap in the log's offsets (compaction, control records) ends a run. The limits are the group's configuration and
 * are not stored: a stored state is read under the group's current ones.
 */
final class SharePartitionJson {

    static final int VERSION = 1;

    private static final JsonMapper JSON = SluiceJson.mapper();

    private SharePartitionJson() {
    }

    record Stored(int version, long startOffset, long endOffset, long nextAcquisitionId, List<Run> runs) {
    }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    record Run(long firstOffset, int count, RecordState state, int deliveryCount, String memberId,
               long firstAcquisitionId, long lockDeadlineMs, boolean lockExpired) {

        boolean continuedBy(InFlightRecord record) {
            return record.offset() == firstOffset + count && record.state() == state
                    && record.deliveryCount() == deliveryCount && record.memberId().equals(memberId)
                    && record.acquisitionId() == firstAcquisitionId + count
                    && record.lockDeadlineMs() == lockDeadlineMs && record.lockExpired() == lockExpired;
        }

        Run longer() {
            return new Run(firstOffset, count + 1, state, deliveryCount, memberId, firstAcquisitionId, lockDeadlineMs,
                    lockExpired);
        }

        static Run of(InFlightRecord record) {
            return new Run(record.offset(), 1, record.state(), record.deliveryCount(), record.memberId(),
                    record.acquisitionId(), record.lockDeadlineMs(), record.lockExpired());
        }
    }

    /** The state of {@code partition} as a document. */
    public static String write(SharePartition partition) {
        List<Run> runs = new ArrayList<>();
        for (InFlightRecord record : partition.inFlightRecords()) {
            int last = runs.size() - 1;
            if (last >= 0 && runs.get(last).continuedBy(record)) {
                runs.set(last, runs.get(last).longer());
            } else {
                runs.add(Run.of(record));
            }
        }
        return JSON.writeValueAsString(new Stored(VERSION, partition.startOffset(), partition.endOffset(),
                partition.nextAcquisitionId(), runs));
    }

    /**
     * The share-partition {@code document} stores, under {@code limits}. Refused with an IllegalArgumentException that
     * names the fault when the document is not valid JSON of this form or breaks the state's invariants.
     */
    public static SharePartition read(String document, ShareLimits limits) {
        Stored stored;
        try {
            stored = JSON.readValue(document, Stored.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Corrupt share-partition state: " + e.getOriginalMessage(), e);
        }
        if (stored == null || stored.version() != VERSION) {
            throw new IllegalArgumentException("Corrupt share-partition state: version "
                    + (stored == null ? null : stored.version()) + ", expected " + VERSION);
        }
        List<InFlightRecord> records = new ArrayList<>();
        for (Run run : stored.runs() == null ? List.<Run>of() : stored.runs()) {
            if (run == null || run.count() < 1) {
                throw new IllegalArgumentException("Corrupt share-partition state: a run of no records: " + run);
            }
            for (int i = 0; i < run.count(); i++) {
                records.add(new InFlightRecord(run.firstOffset() + i, run.state(), run.deliveryCount(), run.memberId(),
                        run.firstAcquisitionId() + i, run.lockDeadlineMs(), run.lockExpired()));
            }
        }
        try {
            return SharePartition.restore(limits, stored.startOffset(), stored.endOffset(), stored.nextAcquisitionId(),
                    records);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Corrupt share-partition state: " + e.getMessage(), e);
        }
    }
}
