package io.sluice.gateway.kafka;

import io.sluice.gateway.GatewayProperties;
import io.sluice.internal.broker.BrokerAnnouncement;
import io.sluice.internal.broker.BrokerApi;
import io.sluice.internal.broker.BrokerEndpoint;
import io.sluice.internal.metadata.MetadataView;
import io.sluice.internal.metadata.NodeInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The brokers Kafka clients see: every live gateway's Kafka listener. This gateway announces its own to the coordinator
 * every {@code sluice.gateway.kafka.announce-interval} (valid for three intervals) and learns the others' from the
 * answer; until the first answer, and whenever the last one is older than that, it knows only itself.
 *
 * <p>Any gateway serves any partition, so which broker Metadata names as a partition's leader only spreads clients'
 * connections: {@link #leaderOf} picks one by rendezvous hashing of the topic, partition and broker id, the same
 * choice on every gateway that knows the same brokers, and when a broker comes or goes only its own share of
 * partitions moves. A client with an older view still reaches a gateway that serves what it asks. The controller is
 * the broker with the lowest id.
 *
 * <p>Thread-safe: the known brokers are replaced whole.
 */
@Component
public class KafkaBrokers {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokers.class);

    private record Known(List<BrokerEndpoint> brokers, long atNanos) {
    }

    private final KafkaBroker self;
    private final BrokerApi coordinator;
    private final Duration interval;
    private final LongSupplier nanoClock;
    private final boolean direct;
    private volatile Known known;
    private volatile String lastProblem;
    private Disposable announcing;

    @Autowired
    KafkaBrokers(KafkaBroker self, BrokerApi coordinator, GatewayProperties properties) {
        this(self, coordinator, properties.kafka().announceInterval(), System::nanoTime,
                properties.kafka().dataPath() == GatewayProperties.Kafka.DataPath.DIRECT);
    }

    KafkaBrokers(KafkaBroker self, BrokerApi coordinator, Duration interval, LongSupplier nanoClock) {
        this(self, coordinator, interval, nanoClock, true);
    }

    KafkaBrokers(KafkaBroker self, BrokerApi coordinator, Duration interval, LongSupplier nanoClock,
                 boolean direct) {
        this.self = self;
        this.coordinator = coordinator;
        this.interval = interval;
        this.nanoClock = nanoClock;
        this.direct = direct;
    }

    /** Starts announcing this gateway's listener, once it is bound; until {@link #stop}. */
    synchronized void start() {
        if (announcing == null) {
            announcing = Flux.interval(Duration.ZERO, interval)
                    .onBackpressureDrop()
                    .concatMap(tick -> announce(), 1)
                    .subscribe();
        }
    }

    synchronized void stop() {
        if (announcing != null) {
            announcing.dispose();
            announcing = null;
        }
    }

    /** One announcement; a failure keeps what was known, which ages out. */
    Mono<Void> announce() {
        BrokerEndpoint own = own();
        long ttlMs = timeToLive().toMillis();
        long sent = nanoClock.getAsLong();
        return coordinator.announce(BrokerAnnouncement.of(own, ttlMs))
                .doOnNext(brokers -> {
                    known = new Known(brokers, sent);
                    problem(null);
                })
                .doOnError(e -> problem(e.getMessage()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    private void problem(String problem) {
        if (!Objects.equals(problem, lastProblem)) {
            lastProblem = problem;
            if (problem != null) {
                LOG.warn("Could not announce this gateway's Kafka listener to the coordinator, so Metadata lists only"
                        + " the brokers known until {} ago: {}", timeToLive(), problem);
            } else {
                LOG.info("This gateway's Kafka listener is announced to the coordinator again");
            }
        }
    }

    private Duration timeToLive() {
        return interval.multipliedBy(3);
    }

    /** The live brokers by id, this gateway's always among them. */
    public List<BrokerEndpoint> live() {
        BrokerEndpoint own = own();
        Known current = known;
        List<BrokerEndpoint> brokers = new ArrayList<>();
        brokers.add(own);
        if (current != null && nanoClock.getAsLong() - current.atNanos() < timeToLive().toNanos()) {
            current.brokers().stream().filter(broker -> broker.brokerId() != own.brokerId()).forEach(brokers::add);
        }
        brokers.sort(Comparator.comparingInt(BrokerEndpoint::brokerId));
        return brokers;
    }

    /**
     * The partition services that serve their partitions to Kafka clients themselves (the direct data path), by node
     * id: every live node that advertises a Kafka listener, unless {@code sluice.gateway.kafka.data-path=gateway} or
     * its id is a gateway's broker id too (a client could not tell the two apart: that node's partitions stay with
     * the gateways).
     */
    public Map<Integer, BrokerEndpoint> directLeaders(MetadataView view, List<BrokerEndpoint> gateways) {
        if (!direct) {
            return Map.of();
        }
        Map<Integer, BrokerEndpoint> leaders = new TreeMap<>();
        for (NodeInfo node : view.metadata().nodes()) {
            String address = node.kafkaAddress();
            if (!node.isAlive() || address == null
                    || gateways.stream().anyMatch(gateway -> gateway.brokerId() == node.id())) {
                continue;
            }
            int colon = address.lastIndexOf(':');
            leaders.put(node.id(), new BrokerEndpoint(node.id(), address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))));
        }
        return leaders;
    }

    /** Every broker a client is told of: the gateways, and the partition services of {@code direct}, by id. */
    public static List<BrokerEndpoint> all(List<BrokerEndpoint> gateways, Map<Integer, BrokerEndpoint> direct) {
        if (direct.isEmpty()) {
            return gateways;
        }
        List<BrokerEndpoint> all = new ArrayList<>(gateways);
        all.addAll(direct.values());
        all.sort(Comparator.comparingInt(BrokerEndpoint::brokerId));
        return all;
    }

    /** The broker of {@code brokers} that Metadata names as leader of the partition. */
    static int leaderOf(List<BrokerEndpoint> brokers, String topic, int partition) {
        int chosen = -1;
        long best = Long.MIN_VALUE;
        long key = ((long) topic.hashCode() << 32) | (partition & 0xffffffffL);
        for (BrokerEndpoint broker : brokers) {
            long score = mix(key ^ mix(broker.brokerId()));
            if (chosen < 0 || score > best) {
                best = score;
                chosen = broker.brokerId();
            }
        }
        return chosen;
    }

    /** The controller clients are told of: the gateway with the lowest broker id. */
    public static int controllerOf(List<BrokerEndpoint> brokers) {
        return brokers.getFirst().brokerId();
    }

    /**
     * Whether this gateway is the controller of the live gateways it knows. Kafka's Admin asks every broker for the
     * groups and transactions it coordinates and joins the answers; the coordinator service holds them all, so the
     * controller lists them and the other gateways list none, and each is listed once however many gateways run.
     */
    public boolean isController() {
        return controllerOf(live()) == self.nodeId();
    }

    private BrokerEndpoint own() {
        return new BrokerEndpoint(self.nodeId(), self.advertisedHost(), self.advertisedPort(), self.internalHost(),
                self.internalPort());
    }

    /** SplitMix64's finalizer: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
