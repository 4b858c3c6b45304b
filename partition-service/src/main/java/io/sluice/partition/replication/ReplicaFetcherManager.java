package io.sluice.partition.replication;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.internal.replication.ReplicationApi;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.FollowerFetching;
import io.sluice.partition.replica.Partition;
import io.sluice.protocol.TopicPartition;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import reactor.core.scheduler.Scheduler;

/**
 * One {@link ReplicaFetcher} per leader node this node follows partitions from: the cost of replication grows with
 * the number of node pairs, not of partitions. A partition moves between fetchers when its leader changes.
 */
public final class ReplicaFetcherManager implements FollowerFetching, AutoCloseable {

    private final int localNode;
    private final String incarnation;
    private final PartitionProperties properties;
    private final ReplicationApi replication;
    private final Scheduler logScheduler;
    private final Map<Integer, ReplicaFetcher> fetchers = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Integer> leaderOf = new ConcurrentHashMap<>();
    private final IntConsumer leaderUnreachable;
    private final FetchTiming timing;

    /**
     * @param incarnation       this process's incarnation, named in every replica fetch
     * @param leaderUnreachable told the id of a leader whose address refused this node's fetch (the coordinator is
     *                          asked to check it: a leader that crashed then loses its leaderships at once)
     */
    public ReplicaFetcherManager(PartitionProperties properties, String incarnation, ReplicationApi replication,
                                 Scheduler logScheduler, IntConsumer leaderUnreachable) {
        this(properties, incarnation, replication, logScheduler, leaderUnreachable, FetchTiming.SYSTEM);
    }

    public ReplicaFetcherManager(PartitionProperties properties, String incarnation, ReplicationApi replication,
                                 Scheduler logScheduler, IntConsumer leaderUnreachable, FetchTiming timing) {
        this.timing = timing;
        this.localNode = properties.nodeId();
        this.incarnation = incarnation;
        this.properties = properties;
        this.replication = replication;
        this.logScheduler = logScheduler;
        this.leaderUnreachable = leaderUnreachable;
    }

    @Override
    public synchronized void addPartition(Partition partition, NodeInfo leader) {
        removePartition(partition.topicPartition());
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(leader.id(), id -> {
            ReplicaFetcher created = new ReplicaFetcher(leader, localNode, incarnation, replication, logScheduler,
                    properties, leaderUnreachable, timing);
            created.start();
            return created;
        });
        if (!fetcher.leaderUrl().equals(leader.url())) {
            fetcher.close();
            fetcher = new ReplicaFetcher(leader, localNode, incarnation, replication, logScheduler, properties,
                    leaderUnreachable, timing);
            fetcher.start();
            fetchers.put(leader.id(), fetcher);
        }
        fetcher.add(partition);
        leaderOf.put(partition.topicPartition(), leader.id());
    }

    @Override
    public synchronized void removePartition(TopicPartition tp) {
        Integer leader = leaderOf.remove(tp);
        if (leader != null) {
            ReplicaFetcher fetcher = fetchers.get(leader);
            if (fetcher != null) {
                fetcher.remove(tp);
            }
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::close);
        fetchers.clear();
        leaderOf.clear();
    }
}
