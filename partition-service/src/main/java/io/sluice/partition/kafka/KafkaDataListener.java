package io.sluice.partition.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.internal.client.CoordinatorClient;
import io.sluice.kafka.Advertised;
import io.sluice.kafka.KafkaFrameDecoder;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.fetch.FetchService;
import io.sluice.partition.node.KafkaAddress;
import io.sluice.partition.produce.ProduceService;
import io.sluice.partition.replica.ReplicaManager;
import io.sluice.partition.stats.NodeStatsService;
import io.sluice.security.KafkaTls;
import io.sluice.security.SecurityProperties;
import io.sluice.web.ClusterSecurityProperties;
import io.sluice.web.InternalTlsProperties;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The node's own Kafka listener, the direct data path (docs/kafka.md): Kafka clients that the gateways' Metadata
 * names this node to, as the leader of the partitions it leads, produce and fetch here ({@link KafkaConnection}),
 * and their other requests are forwarded to a gateway. Plain Netty on event loops of its own, so that fetched
 * records leave a segment file with {@code sendfile}.
 *
 * <p>With security on ({@code sluice.security.enabled}) clients sign in, are authorized, audited and held to their
 * quotas as at the gateways, over TLS when the node serves HTTPS ({@link NodeSecurity}). It starts before the node
 * registers (a lower phase), so the registration carries its address ({@link KafkaAddress}), and stops
 * after the node's controlled shutdown has moved its leaderships away.
 */
@Component
@ConditionalOnBooleanProperty("sluice.partition.kafka.enabled")
@EnableConfigurationProperties(SecurityProperties.class)
class KafkaDataListener implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDataListener.class);

    private final PartitionProperties.Kafka settings;
    private final KafkaAddress address;
    private final NodeSecurity security;
    private final GatewayBrokers gateways;
    private final DirectProduce produce;
    private final DirectFetch fetch;
    private final DirectOffsets offsets;
    private final DirectLogDirs logDirs;
    private final KafkaRequestTimers timers;
    private final AtomicLong connections = new AtomicLong();
    private EventLoopGroup loops;
    private Channel server;

    KafkaDataListener(PartitionProperties properties, KafkaAddress address, SecurityProperties security,
                      ClusterSecurityProperties cluster, InternalTlsProperties internalTls, SslBundles bundles,
                      Environment environment, CoordinatorClient coordinator, ProduceService produceService,
                      FetchService fetchService, ReplicaManager replicas, NodeStatsService nodeStats,
                      MeterRegistry meters) {
        this.settings = properties.kafka();
        this.address = address;
        this.security = NodeSecurity.of(security, cluster.clientSecret(),
                KafkaTls.bundle(settings.sslBundle(), environment, bundles), internalTls.tls(bundles), coordinator,
                meters);
        this.gateways = new GatewayBrokers(coordinator);
        this.produce = new DirectProduce(produceService, replicas::metadata,
                properties.requests().defaultTimeout());
        this.fetch = new DirectFetch(fetchService, replicas::metadata,
                new ClosestReplicas(replicas, settings.closestReplicaReads()));
        this.offsets = new DirectOffsets(fetchService, replicas::metadata);
        this.logDirs = new DirectLogDirs(nodeStats::current);
        this.timers = new KafkaRequestTimers(meters);
    }

    @Override
    public synchronized void start() {
        if (security.unusable() != null) {
            LOG.error("sluice.partition.kafka.enabled is set, but this node's Kafka listener does not start: {}. "
                    + "Kafka clients keep reaching this node's partitions through the gateways", security.unusable());
            return;
        }
        security.start();
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, settings.maxRequestSize().toBytes());
        loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("kafka-data"), NioIoHandler.newFactory());
        server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        if (security.serverTls != null) {
                            channel.pipeline().addLast(security.serverTls.newHandler(channel.alloc()));
                        }
                        channel.pipeline().addLast(new KafkaFrameDecoder(maxFrame), new KafkaConnection(
                                connections.incrementAndGet(), produce, fetch, offsets, logDirs, gateways, maxFrame, timers,
                                security));
                    }
                })
                .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        String advertised = Advertised.host(settings.advertisedHost(), settings.host()) + ":" + (settings.advertisedPort() != null ? settings.advertisedPort()
                : port);
        gateways.start();
        address.listening(advertised);
        LOG.info("Kafka listener (the direct data path, {}) on {}:{}, advertised as {}{}", security.protocol(),
                settings.host(), port, advertised,
                security.sasl.required() ? ", SASL mechanisms " + security.sasl.mechanisms() : "");
    }

    @Override
    public synchronized void stop() {
        gateways.stop();
        security.close();
        if (server != null) {
            server.close().syncUninterruptibly();
            server = null;
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            loops = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Before the node registers (it starts at the default phase), and stopped after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1;
    }
}
