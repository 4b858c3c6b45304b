package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary body of a consumer fetch ({@value #CONTENT_TYPE}), a {@link FetchRequest}. Big-endian; an absent
 * optional number is {@code -1}:
 * <pre>
 *   request   := maxWaitMs:int64 minBytes:int32 maxBytes:int32 isolation:int8 partitionCount:int32 partition*
 *   partition := topicLength:int16 topic:utf8 partition:int32 fetchOffset:int64 maxBytes:int32
 * </pre>
 * {@code isolation} is 0 for read_uncommitted, 1 for read_committed (Kafka's values).
 */
public final class FetchRequestCodec {

    public static final String CONTENT_TYPE = "application/vnd.sluice.fetch-request";

    private static final int MIN_PARTITION_SIZE = 2 + 4 + 8 + 4;

    private FetchRequestCodec() {
    }

    public static ByteBuffer encode(FetchRequest request) {
        List<FetchRequest.Partition> partitions = request.partitions() == null ? List.of() : request.partitions();
        int size = 8 + 4 + 4 + 1 + 4;
        for (FetchRequest.Partition p : partitions) {
            size += WireStrings.size(p.topic()) + MIN_PARTITION_SIZE - 2;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(orAbsent(request.maxWaitMs())).putInt(orAbsent(request.minBytes()))
                .putInt(orAbsent(request.maxBytes())).put((byte) (request.readCommitted() ? 1 : 0))
                .putInt(partitions.size());
        for (FetchRequest.Partition p : partitions) {
            WireStrings.write(out, p.topic());
            out.putInt(p.partition()).putLong(p.fetchOffset()).putInt(orAbsent(p.maxBytes()));
        }
        return out.flip();
    }

    /** @throws SluiceException INVALID_REQUEST when the body does not parse */
    public static FetchRequest decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        try {
            Long maxWaitMs = present(in.getLong());
            Integer minBytes = present(in.getInt());
            Integer maxBytes = present(in.getInt());
            byte isolation = in.get();
            if (isolation != 0 && isolation != 1) {
                throw ErrorCode.INVALID_REQUEST.exception("Fetch request has isolation " + isolation
                        + "; 0 (read_uncommitted) or 1 (read_committed)");
            }
            int count = WireStrings.count(in, MIN_PARTITION_SIZE, "Fetch request");
            List<FetchRequest.Partition> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                partitions.add(new FetchRequest.Partition(WireStrings.read(in), in.getInt(), in.getLong(),
                        present(in.getInt())));
            }
            WireStrings.requireEnd(in, "Fetch request");
            return new FetchRequest(maxWaitMs, minBytes, maxBytes, partitions, isolation == 1);
        } catch (BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Fetch request ends early");
        }
    }

    private static long orAbsent(Long value) {
        return value == null ? -1 : value;
    }

    private static int orAbsent(Integer value) {
        return value == null ? -1 : value;
    }

    private static Long present(long value) {
        return value == -1 ? null : value;
    }

    private static Integer present(int value) {
        return value == -1 ? null : value;
    }
}
