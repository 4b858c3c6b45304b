package io.sluice.partition.fetch;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.sluice.log.FileRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import reactor.netty.NettyPipeline;

/**
 * How a region of a segment file goes out on a Netty channel: as a file region, sent with {@code sendfile}, where the
 * channel can carry one when it is written — a TCP socket without TLS or a compression handler, and a file channel of
 * the JDK's own, whose descriptor native {@code sendfile} reads — and otherwise loaded into a heap buffer just before.
 * The file channel belongs to the log and is never closed here ({@link SegmentFileRegion}).
 */
public final class ChannelRegions {

    // Native sendfile (epoll, io_uring, kqueue) reads this class's descriptor field through JNI.
    private static final String JDK_FILE_CHANNEL = "sun.nio.ch.FileChannelImpl";

    private ChannelRegions() {
    }

    /** What to write on {@code channel} for {@code records}: a file region, or a buffer of their bytes. */
    public static Object body(FileRegion records, Channel channel) {
        if (carriesFileRegions(channel) && isJdkFileChannel(records.channel())) {
            return new SegmentFileRegion(records);
        }
        return Unpooled.wrappedBuffer(load(records));
    }

    private static boolean carriesFileRegions(Channel channel) {
        if (!(channel instanceof SocketChannel)) {
            return false; // an HTTP/2 or HTTP/3 stream
        }
        ChannelPipeline pipeline = channel.pipeline();
        return pipeline.get(SslHandler.class) == null && pipeline.get(NettyPipeline.CompressionHandler) == null;
    }

    private static boolean isJdkFileChannel(FileChannel channel) {
        return channel.getClass().getName().equals(JDK_FILE_CHANNEL);
    }

    private static ByteBuffer load(FileRegion records) {
        try {
            return records.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
