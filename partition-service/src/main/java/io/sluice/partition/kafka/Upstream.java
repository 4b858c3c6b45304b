package io.sluice.partition.kafka;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.kafka.KafkaFrameDecoder;
import java.util.function.Consumer;

/**
 * One client connection's connection to a gateway's Kafka listener, for the requests this node does not answer
 * itself: each is sent as the client framed it, and the gateway's answer comes back as it framed it, correlation id
 * and all. One per client connection, so what a gateway keeps per connection (fetch sessions, share sessions,
 * a transactional producer's implicit adds) is the client's own. Opened on first use, on the client connection's
 * event loop; every method runs there. A client connection forwards one request at a time (its requests are answered
 * in order), so at most one answer is awaited.
 */
final class Upstream {

    private final EventLoop loop;
    private final BrokerEndpoint gateway;
    private final int maxFrame;
    private Channel channel;
    private Consumer<ByteBuf> awaiting;
    private Consumer<String> onClose;

    Upstream(EventLoop loop, BrokerEndpoint gateway, int maxFrame) {
        this.loop = loop;
        this.gateway = gateway;
        this.maxFrame = maxFrame;
    }

    /**
     * Sends {@code frame} (a request's bytes, the size prefix left off) and hands the answer's frame, size prefix
     * included, to {@code answer}; {@code failed} is told why instead if the gateway cannot be reached or the
     * connection to it ends first.
     */
    void forward(ByteBuf frame, Consumer<ByteBuf> answer, Consumer<String> failed) {
        this.awaiting = answer;
        this.onClose = failed;
        ByteBuf framed = Unpooled.wrappedBuffer(Unpooled.buffer(4).writeInt(frame.readableBytes()), frame);
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(framed);
            return;
        }
        ChannelFuture connecting = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel upstream) {
                        upstream.pipeline().addLast(new KafkaFrameDecoder(maxFrame), new Answers());
                    }
                })
                .connect(gateway.host(), gateway.port());
        channel = connecting.channel();
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                channel.writeAndFlush(framed);
            } else {
                framed.release();
                fail("gateway " + gateway.host() + ":" + gateway.port() + " unreachable: " + done.cause());
            }
        });
    }

    void close() {
        awaiting = null;
        onClose = null;
        if (channel != null) {
            channel.close();
        }
    }

    private void fail(String why) {
        Consumer<String> failed = onClose;
        awaiting = null;
        onClose = null;
        if (failed != null) {
            failed.accept(why);
        }
    }

    /** The gateway's answers, each handed to the forward awaiting it. */
    private final class Answers extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf frame = (ByteBuf) message;
            Consumer<ByteBuf> answer = awaiting;
            awaiting = null;
            onClose = null;
            if (answer == null) {
                frame.release();
                return;
            }
            answer.accept(Unpooled.wrappedBuffer(Unpooled.buffer(4).writeInt(frame.readableBytes()), frame));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("the connection to gateway " + gateway.host() + ":" + gateway.port() + " ended");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
