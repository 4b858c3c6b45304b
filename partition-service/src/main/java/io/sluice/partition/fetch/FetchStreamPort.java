package io.sluice.partition.fetch;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.sluice.internal.partition.FetchStream;
import io.sluice.partition.produce.ProduceService;
import io.sluice.web.ClusterAdmission;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the {@link FetchStream} on the node's internal HTTP port: the first handler of each plaintext connection looks
 * at its first bytes; a connection that opens with a stream's preface leaves HTTP (every HTTP handler is removed) for
 * the stream's frames and a {@link FetchStreamHandler} of the preface's kind (consumer or replica fetches, or
 * produces), any other
 * goes on as HTTP, untouched. One port, so nothing
 * about deploying a node changes. Connections over TLS stay HTTP (callers use the stream only with {@code http://}
 * nodes).
 */
final class FetchStreamPort {

    static final String NAME = "sluice.fetchStreamSniffer";

    private final FetchService fetches;
    private final ProduceService produces;
    private final ClusterAdmission admission;
    private final ChannelGroup streams;

    /** @param streams where the stream connections are kept, to be closed with the node */
    FetchStreamPort(FetchService fetches, ProduceService produces, ClusterAdmission admission, ChannelGroup streams) {
        this.fetches = fetches;
        this.produces = produces;
        this.admission = admission;
        this.streams = streams;
    }

    /** Called as each accepted connection's pipeline is set up. */
    void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(SslHandler.class) == null && pipeline.get(NAME) == null) {
            pipeline.addFirst(NAME, new Sniffer());
        }
    }

    /** Holds a connection's first bytes until they show whether it opens with the preface. */
    private final class Sniffer extends ChannelInboundHandlerAdapter {

        private ByteBuf start;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof ByteBuf in)) {
                ctx.fireChannelRead(message);
                return;
            }
            ByteBuf seen = in;
            if (start != null) {
                start.writeBytes(in);
                in.release();
                seen = start;
                start = null;
            }
            byte[] first = new byte[Math.min(seen.readableBytes(), FetchStream.PREFACE_LENGTH)];
            seen.getBytes(seen.readerIndex(), first);
            if (!FetchStream.maybePreface(first, first.length)) {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(seen);
            } else if (first.length < FetchStream.PREFACE_LENGTH) {
                start = ctx.alloc().heapBuffer(FetchStream.PREFACE_LENGTH).writeBytes(seen);
                seen.release();
                // HTTP's handlers ask for each read themselves (no auto-read); the rest of the preface must be asked for.
                ctx.read();
            } else {
                seen.skipBytes(FetchStream.PREFACE_LENGTH);
                becomeStream(ctx, FetchStream.Kind.of(first));
                if (seen.isReadable()) {
                    ctx.fireChannelRead(seen);
                } else {
                    seen.release();
                }
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (start != null) {
                start.release();
                start = null;
            }
        }

        /** Replaces every HTTP handler after this one with the stream's, and this one with nothing. */
        private void becomeStream(ChannelHandlerContext ctx, FetchStream.Kind kind) {
            ChannelPipeline pipeline = ctx.pipeline();
            List<String> names = new ArrayList<>(pipeline.names());
            for (String name : names.subList(names.indexOf(ctx.name()) + 1, names.size())) {
                if (pipeline.context(name) != null) {
                    pipeline.remove(name);
                }
            }
            pipeline.addLast("sluice.fetchStreamFrames",
                    new LengthFieldBasedFrameDecoder(FetchStream.MAX_REQUEST_FRAME, 0, 4, 0, 4));
            pipeline.addLast("sluice.fetchStream", new FetchStreamHandler(kind, fetches, produces, admission));
            pipeline.remove(this);
            streams.add(ctx.channel());
            ctx.channel().config().setAutoRead(true);
        }
    }
}
