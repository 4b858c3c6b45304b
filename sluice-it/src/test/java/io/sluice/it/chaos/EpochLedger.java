package io.sluice.it.chaos;

import io.sluice.it.ReplicaFiles.StoredBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every batch seen in any replica's files during a run, by partition and leader epoch, to catch two leaders writing
 * in one epoch. One leader per epoch means one writer per (partition, epoch): a batch stamped with epoch E at offset
 * O is written once, and every copy of it anywhere, at any time, is the same bytes. Two different batches covering
 * one offset under one epoch — on two replicas, or on one replica before and after a restart — were written by two
 * leaders of that epoch (or by one leader that lost its log and went on in the same epoch, which is the same fault).
 *
 * <p>Snapshots of live replicas may be taken while they are written: {@link io.sluice.it.ReplicaFiles#read} stops at
 * the first batch that fails its CRC, so a half-rewritten batch is never recorded. Not thread-safe: the fault thread
 * owns it.
 */
final class EpochLedger {

    /** A batch and where it was seen first. */
    record Sighting(StoredBatch batch, int node, String when) {
    }

    /** Two different batches under one epoch over the same offsets. */
    record Conflict(int partition, int epoch, Sighting first, Sighting second) {

        @Override
        public String toString() {
            return String.format("partition %d, epoch %d: offsets %d..%d (%s…) on node %d %s, but %d..%d (%s…) on node "
                            + "%d %s", partition, epoch, first.batch().baseOffset(), first.batch().lastOffset(),
                    first.batch().sha256().substring(0, 8), first.node(), first.when(), second.batch().baseOffset(),
                    second.batch().lastOffset(), second.batch().sha256().substring(0, 8), second.node(), second.when());
        }
    }

    private record Key(int partition, int epoch) {
    }

    private final Map<Key, NavigableMap<Long, Sighting>> batches = new HashMap<>();
    private final Set<String> reported = new LinkedHashSet<>();
    private final List<Conflict> conflicts = new ArrayList<>();

    /** Records what one replica holds now; {@code when} says at which point of the run (for the report). */
    void observe(int partition, int node, List<StoredBatch> replica, String when) {
        for (StoredBatch batch : replica) {
            NavigableMap<Long, Sighting> epoch = batches.computeIfAbsent(new Key(partition, batch.leaderEpoch()),
                    key -> new TreeMap<>());
            Sighting sighting = new Sighting(batch, node, when);
            boolean known = false;
            // Batches under one epoch that overlap this one start at or before its last offset.
            for (Sighting other : epoch.headMap(batch.lastOffset(), true).descendingMap().values()) {
                if (other.batch().lastOffset() < batch.baseOffset()) {
                    break;
                }
                if (other.batch().equals(batch)) {
                    known = true;
                } else {
                    conflict(new Conflict(partition, batch.leaderEpoch(), other, sighting));
                }
            }
            if (!known && !epoch.containsKey(batch.baseOffset())) {
                epoch.put(batch.baseOffset(), sighting);
            }
        }
    }

    private void conflict(Conflict conflict) {
        String key = conflict.partition() + "/" + conflict.epoch() + "/" + conflict.first().batch().sha256() + "/"
                + conflict.second().batch().sha256();
        if (reported.add(key)) {
            conflicts.add(conflict);
        }
    }

    List<Conflict> conflicts() {
        return List.copyOf(conflicts);
    }
}
