package io.sluice.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteBuffer;

/**
 * Size-prefixed Kafka request frames, each handed on as a copy of its own (the size prefix taken off), for every
 * Kafka listener. Netty's decoder hands on slices of its cumulation buffer, which then cannot be compacted while a
 * slice waits downstream: under a steady stream of large produce requests every read grew a new cumulation by copying
 * what was left, and the old ones stayed alive behind their slices — 250 MB of direct memory on one connection, until
 * an allocation failed and the connection dropped. A copy is also what a request needs: its record batches are read
 * after Netty released the buffer they came in.
 */
public final class KafkaFrameDecoder extends LengthFieldBasedFrameDecoder {

    /** @param maxFrame the largest frame accepted; a larger one fails the connection */
    public KafkaFrameDecoder(int maxFrame) {
        super(maxFrame, 0, 4, 0, 4);
    }

    /** An array of its own (not pooled), which the request keeps after Netty released the buffer around it. */
    @Override
    protected ByteBuf extractFrame(ChannelHandlerContext context, ByteBuf buffer, int index, int length) {
        byte[] frame = new byte[length];
        buffer.getBytes(index, frame);
        return Unpooled.wrappedBuffer(frame);
    }

    /** A frame this decoder produced, as its bytes, without a second copy: no one else uses its array. */
    public static ByteBuffer bytesOf(ByteBuf frame) {
        return ByteBuffer.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes())
                .slice();
    }
}
