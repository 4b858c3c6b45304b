package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary body of an internal produce request ({@value #CONTENT_TYPE}): record batches for one or more partitions,
 * sent by a gateway to the partition's leader. Big-endian:
 * <pre>
 *   request   := partitionCount:int32 partition*
 *   partition := topicLength:int16 topic:utf8 partition:int32 leaderEpoch:int32 size:int32 batches:byte[size]
 * </pre>
 * {@code batches} are Kafka v2 record batches, back to back. Decoding slices the request buffer (no copy), so the
 * leader assigns offsets by rewriting the batches where they arrived.
 */
public final class ProduceRequestCodec {

    public static final String CONTENT_TYPE = "application/vnd.sluice.produce";

    private ProduceRequestCodec() {
    }

    public static ByteBuffer encode(List<PartitionBatches> partitions) {
        int size = 4;
        List<byte[]> topics = new ArrayList<>(partitions.size());
        for (PartitionBatches p : partitions) {
            byte[] topic = p.partition().topic().getBytes(StandardCharsets.UTF_8);
            topics.add(topic);
            size += 2 + topic.length + 4 + 4 + 4 + p.batches().remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(partitions.size());
        for (int i = 0; i < partitions.size(); i++) {
            PartitionBatches p = partitions.get(i);
            out.putShort((short) topics.get(i).length).put(topics.get(i));
            out.putInt(p.partition().partition());
            out.putInt(p.leaderEpoch());
            out.putInt(p.batches().remaining());
            out.put(p.batches().duplicate());
        }
        return out.flip();
    }

    /** @throws SluiceException INVALID_REQUEST (or INVALID_TOPIC_NAME) when the body does not parse */
    public static List<PartitionBatches> decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        try {
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 14) {
                throw invalid("declares " + count + " partitions in " + body.remaining() + " bytes");
            }
            List<PartitionBatches> partitions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = WireStrings.read(in);
                int partition = in.getInt();
                int leaderEpoch = in.getInt();
                int size = in.getInt();
                if (size < 0 || size > in.remaining()) {
                    throw invalid("declares " + size + " bytes of batches for " + topic + "-" + partition + " with "
                            + in.remaining() + " left");
                }
                ByteBuffer batches = in.slice(in.position(), size);
                in.position(in.position() + size);
                partitions.add(new PartitionBatches(new TopicPartition(topic, partition), leaderEpoch, batches));
            }
            if (in.hasRemaining()) {
                throw invalid("has " + in.remaining() + " bytes after its last partition");
            }
            return partitions;
        } catch (BufferUnderflowException e) {
            throw invalid("ends early");
        }
    }

    private static SluiceException invalid(String reason) {
        return ErrorCode.INVALID_REQUEST.exception("Produce request " + reason);
    }
}
