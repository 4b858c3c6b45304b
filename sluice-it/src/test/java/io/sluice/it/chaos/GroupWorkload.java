package io.sluice.it.chaos;

import io.sluice.it.chaos.GatewayClient.GroupRecord;
import io.sluice.it.chaos.GatewayClient.MemberAnswer;
import io.sluice.testing.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The consumer group of a chaos run or a partition test: polling members of one group on one topic, through the
 * gateway, with automatic commits, from the earliest offsets. One member stays; the others leave (committing their
 * cursor) and join again every few seconds, so partitions keep changing hands while the faults run. A call that got no answer or a
 * retriable problem is repeated with the same cursor; a member the coordinator removed or fenced joins again as a new
 * member. Every record a member is given goes into the {@link History} ({@link History#groupRead}), which the checker
 * holds against the final logs and the group's final committed offsets.
 */
final class GroupWorkload implements AutoCloseable {

    static final String GROUP = "chaos-readers";
    private static final Duration POLL_WAIT = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofMillis(300);
    /** Codes after which the member is gone from the group: it joins again, as a new member. */
    private static final Set<String> REJOIN = Set.of("UNKNOWN_MEMBER", "FENCED_MEMBER_EPOCH");

    private final GatewayClient gateway;
    private final String topic;
    private final String group;
    private final History history;
    private final List<Thread> members = new ArrayList<>();
    private final AtomicInteger joins = new AtomicInteger();
    private final AtomicInteger rejoinsAfterRemoval = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean churning = true;

    private GroupWorkload(GatewayClient gateway, String topic, String group, History history) {
        this.gateway = gateway;
        this.topic = topic;
        this.group = group;
        this.history = history;
    }

    /**
     * Starts {@code count} members of {@code group}: the first stays if {@code firstStays}, the others (or all) churn
     * on a schedule drawn from {@code seed}. With fewer partitions than members, a member that stays may keep every
     * partition for good (assignments are sticky): all must churn for partitions to change hands.
     */
    static GroupWorkload start(GatewayClient gateway, String topic, String group, int count, boolean firstStays,
                               long seed, History history) {
        GroupWorkload workload = new GroupWorkload(gateway, topic, group, history);
        for (int i = 0; i < count; i++) {
            int id = i;
            Random random = new Random(seed * 17 + i);
            boolean stays = firstStays && id == 0;
            workload.members.add(Thread.ofPlatform().name("chaos-group-member-" + i)
                    .start(() -> workload.member(id, stays ? null : random)));
        }
        return workload;
    }

    private void member(int id, Random churn) {
        String memberId = null;
        while (running) {
            // A join that got no answer may have landed: it is tried again as the same member, as a client would,
            // rather than leaving a member behind that holds partitions until its session times out.
            memberId = memberId == null ? UUID.randomUUID().toString() : memberId;
            MemberAnswer answer = gateway.joinGroup(group, topic, memberId);
            if (!answer.ok()) {
                Waits.sleep(BACKOFF);
                continue;
            }
            String name = "m" + id + "-" + joins.incrementAndGet();
            long leaveAt = churn == null ? Long.MAX_VALUE : System.nanoTime()
                    + Duration.ofMillis(3000 + churn.nextInt(7000)).toNanos();
            String cursor = answer.cursor();
            boolean removed = false;
            while (running && (!churning || System.nanoTime() - leaveAt < 0)) {
                MemberAnswer polled = gateway.pollGroup(group, memberId, cursor, POLL_WAIT);
                if (polled.ok()) {
                    cursor = polled.cursor();
                    for (GroupRecord record : polled.records()) {
                        history.groupRead(new History.GroupRead(name, record.partition(), record.offset(),
                                record.value()));
                    }
                } else if (REJOIN.contains(polled.errorCode())) {
                    history.consumerEvent("group member " + name + " removed (" + polled.errorCode()
                            + "): joins again");
                    rejoinsAfterRemoval.incrementAndGet();
                    removed = true;
                    break;
                } else {
                    Waits.sleep(BACKOFF);
                }
            }
            if (!removed) {
                leave(memberId, cursor);
            }
            memberId = null;
            if (churn != null && running) {
                Waits.sleep(Duration.ofMillis(500 + churn.nextInt(1500)));
            }
        }
    }

    /**
     * Leaves, trying again while no answer comes or the gateway answers 5xx (a coordinator away), for up to 15 s: a
     * member that could not leave holds its partitions until its session (45 s) times out. One that still could not
     * leave is left to the session timeout: at worst records are read again.
     */
    private void leave(String memberId, String cursor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int status = gateway.leaveGroup(group, memberId, cursor);
        while ((status == -1 || status >= 500) && System.nanoTime() < deadline) {
            Waits.sleep(BACKOFF);
            status = gateway.leaveGroup(group, memberId, cursor);
        }
    }

    /** Members stop leaving and joining: the group settles, so it can read up to the end. */
    void stopChurn() {
        churning = false;
    }

    /** Waits until the group's committed offsets reach {@code ends} on every partition; false if not within time. */
    boolean awaitCommitted(Map<Integer, Long> ends, Duration timeout) {
        return ChaosCluster.within(timeout, () -> {
            Map<Integer, Long> committed = gateway.committedOffsets(group);
            if (committed == null) {
                return false;
            }
            return ends.entrySet().stream().allMatch(end -> committed.getOrDefault(end.getKey(), -1L)
                    >= end.getValue());
        });
    }

    String group() {
        return group;
    }

    Map<Integer, Long> committed() {
        return gateway.committedOffsets(group);
    }

    int joins() {
        return joins.get();
    }

    int rejoinsAfterRemoval() {
        return rejoinsAfterRemoval.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread member : members) {
            try {
                member.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
