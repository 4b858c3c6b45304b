package io.sluice.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kafka listeners' frame decoder hands on frames that own their bytes: frames held downstream (a connection's requests
 * waiting their turn) never pin the decoder's cumulation buffer, which Netty's default slices did — growing direct
 * memory by a copy of every unread byte per read, until an allocation failed under a stream of large produce requests.
 */
class KafkaFrameDecoderTest {

    @Test
    void framesHeldDownstreamOwnTheirBytesAndLeaveTheDecodersBufferFree() {
        EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1 << 20));
        List<ByteBuf> held = new ArrayList<>();
        byte[] payload = new byte[1000];
        for (int i = 0; i < 50; i++) {
            payload[0] = (byte) i;
            ByteBuf wire = Unpooled.buffer().writeInt(payload.length).writeBytes(payload);
            // Each frame arrives in two reads, the second carrying the start of nothing else.
            channel.writeInbound(wire.readRetainedSlice(300));
            channel.writeInbound(wire.readRetainedSlice(wire.readableBytes()));
            wire.release();
            ByteBuf frame;
            while ((frame = channel.readInbound()) != null) {
                held.add(frame);
            }
        }

        assertThat(held).hasSize(50);
        for (int i = 0; i < held.size(); i++) {
            ByteBuf frame = held.get(i);
            assertThat(frame.unwrap()).as("frame %d is no view of another buffer", i).isNull();
            assertThat(frame.refCnt()).isEqualTo(1);
            assertThat(frame.readableBytes()).isEqualTo(1000);
            assertThat(frame.getByte(0)).isEqualTo((byte) i);
        }
        channel.finishAndReleaseAll();
        held.forEach(ByteBuf::release);
    }
}
