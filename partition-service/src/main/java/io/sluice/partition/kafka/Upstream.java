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
import io.netty.handler.ssl.SslContext;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.kafka.KafkaFrameDecoder;
import io.sluice.security.SaslExchange;
import io.sluice.security.SluicePrincipal;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;

/**
 * One client connection's connection to a gateway's Kafka listener, at the address the cluster's services reach it at
 * ({@link BrokerEndpoint#internalHost}), for the requests this node does not answer
 * itself: each is sent as the client framed it, and the gateway's answer comes back as it framed it, correlation id
 * and all. One per client connection, so what a gateway keeps per connection (fetch sessions, share sessions,
 * a transactional producer's implicit adds) is the client's own. Opened on first use, on the client connection's
 * event loop; every method runs there. A client connection forwards one request at a time (its requests are answered
 * in order), so at most one answer is awaited.
 *
 * <p>With security on, the connection signs in first as the client's principal ({@link SaslExchange#FORWARDED}, with
 * the cluster secret), so the gateway applies that principal's ACLs and quotas to what it forwards; it speaks TLS to
 * the gateway when the node's own listener does. A refused sign-in fails the forward.
 */
final class Upstream {

    private static final String CLIENT_ID = "sluice-partition";

    private final EventLoop loop;
    private final BrokerEndpoint gateway;
    private final int maxFrame;
    private final SluicePrincipal principal;
    private final String clusterSecret;
    private final SslContext tls;
    private Channel channel;
    private Consumer<ByteBuf> awaiting;
    private Consumer<String> onClose;
    /** The sign-in answers still to come, in order: the handshake's, then the authenticate's. */
    private final Deque<RequestHeader> signingIn = new ArrayDeque<>(2);

    /**
     * @param principal     the client's principal, signed in as at the gateway; null: the connection does not sign in
     *                      (security off, or a client not signed in yet, which may only ask ApiVersions)
     * @param clusterSecret what the forwarded sign-in carries (with {@code principal})
     * @param tls           TLS to the gateway; null: plaintext
     */
    Upstream(EventLoop loop, BrokerEndpoint gateway, int maxFrame, SluicePrincipal principal, String clusterSecret,
             SslContext tls) {
        this.loop = loop;
        this.gateway = gateway;
        this.maxFrame = maxFrame;
        this.principal = principal;
        this.clusterSecret = clusterSecret;
        this.tls = tls;
    }

    /** The principal this connection signed in as; null: none. */
    SluicePrincipal principal() {
        return principal;
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
                        if (tls != null) {
                            upstream.pipeline().addLast(tls.newHandler(upstream.alloc(), gateway.internalHost(),
                                    gateway.internalPort()));
                        }
                        upstream.pipeline().addLast(new KafkaFrameDecoder(maxFrame), new Answers());
                    }
                })
                .connect(gateway.internalHost(), gateway.internalPort());
        channel = connecting.channel();
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                if (principal != null) {
                    signIn();
                }
                channel.writeAndFlush(framed);
            } else {
                framed.release();
                fail("gateway " + address() + " unreachable: " + done.cause());
            }
        });
    }

    /** Sends the forwarded sign-in, answered ahead of the first forwarded request (the gateway answers in order). */
    private void signIn() {
        RequestHeader handshake = new RequestHeader(ApiKeys.SASL_HANDSHAKE, (short) 1, CLIENT_ID, -2);
        channel.write(frame(handshake, new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData()
                .setMechanism(SaslExchange.FORWARDED)).build(handshake.apiVersion())));
        RequestHeader authenticate = new RequestHeader(ApiKeys.SASL_AUTHENTICATE, (short) 1, CLIENT_ID, -1);
        channel.write(frame(authenticate, new SaslAuthenticateRequest.Builder(new SaslAuthenticateRequestData()
                .setAuthBytes(SaslExchange.forwardedCredentials(clusterSecret, principal)))
                .build(authenticate.apiVersion())));
        signingIn.add(handshake);
        signingIn.add(authenticate);
    }

    private static ByteBuf frame(RequestHeader header, AbstractRequest request) {
        ByteBuffer bytes = request.serializeWithHeader(header);
        return Unpooled.buffer(4 + bytes.remaining()).writeInt(bytes.remaining()).writeBytes(bytes);
    }

    void close() {
        awaiting = null;
        onClose = null;
        if (channel != null) {
            channel.close();
        }
    }

    /** The gateway's listener as the cluster's services reach it, for messages. */
    private String address() {
        return gateway.internalHost() + ":" + gateway.internalPort();
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
            if (!signingIn.isEmpty()) {
                RequestHeader asked = signingIn.poll();
                Errors error;
                try {
                    error = AbstractResponse.parseResponse(frame.nioBuffer(), asked).errorCounts().keySet().stream()
                            .filter(e -> e != Errors.NONE).findFirst().orElse(Errors.NONE);
                } catch (RuntimeException unreadable) {
                    error = Errors.UNKNOWN_SERVER_ERROR;
                } finally {
                    frame.release();
                }
                if (error != Errors.NONE) {
                    fail("gateway " + address() + " refused the forwarded sign-in ("
                            + asked.apiKey() + ": " + error + ")");
                    ctx.close();
                }
                return;
            }
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
            fail("the connection to gateway " + address() + " ended");
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
