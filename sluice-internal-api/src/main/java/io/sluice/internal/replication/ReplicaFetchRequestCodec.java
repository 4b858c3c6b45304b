package io.sluice.internal.replication;

import io.sluice.internal.partition.WireStrings;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary body of a follower's fetch ({@value #CONTENT_TYPE}), a {@link ReplicaFetchRequest}. Big-endian:
 * <pre>
 *   request   := replicaId:int32 incarnationLength:int16 incarnation:utf8 maxWaitMs:int64 maxBytes:int32
 *                partitionCount:int32 partition*
 *   partition := topicLength:int16 topic:utf8 partition:int32 fetchOffset:int64 leaderEpoch:int32 highWatermark:int64
 *                logStartOffset:int64
 * </pre>
 * The version suffix changes with the layout (v2 added the high watermark, v3 the incarnation, v4 the log start): a node still on an
 * old layout is refused with 415 rather than misread.
 */
public final class ReplicaFetchRequestCodec {

    public static final String CONTENT_TYPE = "application/vnd.sluice.replica-fetch-request.v4";

    private static final int MIN_PARTITION_SIZE = 2 + 4 + 8 + 4 + 8 + 8;

    private ReplicaFetchRequestCodec() {
    }

    public static ByteBuffer encode(ReplicaFetchRequest request) {
        int size = 4 + WireStrings.size(request.incarnation()) + 8 + 4 + 4;
        for (ReplicaFetchRequest.Partition p : request.partitions()) {
            size += WireStrings.size(p.topic()) + MIN_PARTITION_SIZE - 2;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(request.replicaId());
        WireStrings.write(out, request.incarnation());
        out.putLong(request.maxWaitMs()).putInt(request.maxBytes())
                .putInt(request.partitions().size());
        for (ReplicaFetchRequest.Partition p : request.partitions()) {
            WireStrings.write(out, p.topic());
            out.putInt(p.partition()).putLong(p.fetchOffset()).putInt(p.leaderEpoch()).putLong(p.highWatermark())
                    .putLong(p.logStartOffset());
        }
        return out.flip();
    }

    /** @throws SluiceException INVALID_REQUEST when the body does not parse */
    public static ReplicaFetchRequest decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        try {
            int replicaId = in.getInt();
            String incarnation = WireStrings.read(in);
            long maxWaitMs = in.getLong();
            int maxBytes = in.getInt();
            int count = WireStrings.count(in, MIN_PARTITION_SIZE, "Replica fetch request");
            List<ReplicaFetchRequest.Partition> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                partitions.add(new ReplicaFetchRequest.Partition(WireStrings.read(in), in.getInt(), in.getLong(),
                        in.getInt(), in.getLong(), in.getLong()));
            }
            WireStrings.requireEnd(in, "Replica fetch request");
            return new ReplicaFetchRequest(replicaId, incarnation, maxWaitMs, maxBytes, partitions);
        } catch (BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Replica fetch request ends early");
        }
    }
}
