package io.sluice.it;

import static io.sluice.it.GatewayHttp.delete;
import static io.sluice.it.GatewayHttp.get;
import static io.sluice.it.GatewayHttp.highWatermarks;
import static io.sluice.it.GatewayHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.it.GatewayHttp.Response;
import io.sluice.testing.SluiceCluster;
import io.sluice.testing.Waits;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A partition that changes hands skips no record (issue 40), tried as a user would and many times: short seeded
 * trials, each on a new 6-partition topic that a producer writes one record per partition to every 100 ms. Member A
 * joins while records flow; member B joins a moment later, so half of A's partitions move to B; then A goes — it
 * leaves, or (a polling member) stops calling and is removed at its session timeout — and B takes the rest. Every
 * offset from where the group first owned each partition (0 with {@code earliest}; the high watermark once A had its
 * assignment with {@code latest}) to the end of what was produced must reach a member; a repeat is allowed only at a
 * hand-off (docs/api.md), and the repeats are counted and printed. Members are SSE members and polling members with
 * automatic commits at the gateway's defaults, and polling members that commit their cursor every fifth poll.
 *
 * <p>{@code -Dsluice.handoff.trials=N} runs N trials per shape (default 1, sized for the suite's time;
 * docs/reliability.md has the run of 10), {@code -Dsluice.handoff.seed=S} another schedule of pauses.
 */
@ExtendWith(ClusterExtension.class)
class GroupHandOffIT {

    private static final int PARTITIONS = 6;
    private static final int TRIALS = Integer.getInteger("sluice.handoff.trials", 1);
    private static final long SEED = Long.getLong("sluice.handoff.seed", 40);

    private static SluiceCluster cluster;
    private static URI gateway;

    /** SSE members and polling members with automatic commits; polling members that commit every fifth poll. */
    enum Kind { SSE, POLLING, POLLING_MANUAL }

    @BeforeAll
    static void useSharedCluster(SluiceCluster shared) {
        cluster = shared;
        gateway = cluster.gatewayUrl();
    }

    @ParameterizedTest(name = "{0} members, auto_offset_reset={1}")
    @CsvSource({"SSE, latest", "SSE, earliest", "POLLING, latest", "POLLING, earliest", "POLLING_MANUAL, latest",
            "POLLING_MANUAL, earliest"})
    void aPartitionThatChangesHandsSkipsNoRecordAndRepeatsOnlyAtTheHandOff(Kind kind, String reset) {
        Random random = new Random(SEED * 31 + kind.ordinal() * 2L + reset.length());
        List<GroupDeliveries.Report> reports = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            GroupDeliveries.Report report = trial(kind, reset, random,
                    "handoff-" + kind.name().toLowerCase(Locale.ROOT) + "-" + reset + "-" + trial);
            reports.add(report);
        }
        long skipped = reports.stream().mapToLong(report -> report.skipped().size()).sum();
        long duplicates = reports.stream().mapToLong(GroupDeliveries.Report::duplicates).sum();
        long records = reports.stream().mapToLong(GroupDeliveries.Report::distinct).sum();
        System.out.printf("[handoff] %s members, auto_offset_reset=%s, seed %d: %d trials, %d records delivered, "
                + "%d skipped, %d repeated at hand-offs%n", kind, reset, SEED, TRIALS, records, skipped, duplicates);
        assertThat(reports).as("trials (seed %d)", SEED).allSatisfy(report ->
                assertThat(report.skipped()).as("offsets that reached no member: %s", report).isEmpty());
    }

    private static GroupDeliveries.Report trial(Kind kind, String reset, Random random, String name) {
        GatewayHttp.createTopic(List.of(gateway), name, PARTITIONS, 1);
        GroupDeliveries deliveries = new GroupDeliveries();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().name("handoff-producer").start(() -> {
            try {
                while (producing.get()) {
                    GatewayHttp.produce(gateway, name, PARTITIONS, PARTITIONS);
                    Thread.sleep(100);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        Member first = null;
        Member second = null;
        try {
            Waits.sleep(Duration.ofMillis(300 + random.nextInt(400)));
            first = join(kind, name, reset, deliveries, "a-" + name);
            first.awaitAssigned();
            Map<Integer, Long> from = reset.equals("latest") ? highWatermarks(gateway, name) : zeros();
            Waits.sleep(Duration.ofMillis(500 + random.nextInt(1000)));
            Map<Integer, Long> committedBeforeB = GatewayHttp.committed(get(gateway, "/v1/groups/" + name).json());
            second = join(kind, name, reset, deliveries, "b-" + name);
            awaitOwners(name, 2);
            Waits.sleep(Duration.ofMillis(500 + random.nextInt(1000)));
            boolean abandon = kind != Kind.SSE && random.nextInt(3) == 0;
            if (abandon) {
                first.abandon();
            } else {
                first.close();
            }
            awaitOwners(name, 1);
            Waits.sleep(Duration.ofMillis(500));
            producing.set(false);
            producer.join(30_000);
            assertThat(failure.get()).as("the producer's failure").isNull();
            Map<Integer, Long> until = highWatermarks(gateway, name);
            Member last = second;
            try {
                Waits.await("every record up to the end delivered", Duration.ofSeconds(30), () -> {
                    last.checkAlive();
                    return deliveries.check(from, until).skipped().isEmpty() ? Boolean.TRUE : null;
                });
            } catch (AssertionError e) {
                // Judged below, with the offsets that reached no member named.
            }
            deliveries.assertDuplicatesOnlyAtHandOffs();
            // Commits never go back, and a new owner starts at the stored commit: never before what the group had
            // committed when it joined.
            deliveries.firstOffsets("b-" + name).forEach((partition, firstOffset) ->
                    assertThat(firstOffset).as("%s: B's first offset of partition %d; committed before B joined: %s", name,
                            partition, committedBeforeB).isGreaterThanOrEqualTo(
                                    committedBeforeB.getOrDefault(partition, 0L)));
            GroupDeliveries.Report report = deliveries.check(from, until);
            System.out.printf("[handoff] %s (%s): from %s until %s: %s%n", name, abandon ? "A abandoned" : "A left",
                    from, until, report);
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            producing.set(false);
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }

    private static Map<Integer, Long> zeros() {
        Map<Integer, Long> zeros = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            zeros.put(p, 0L);
        }
        return zeros;
    }

    /** Waits until the group has {@code count} members, between them owning every partition. */
    private static void awaitOwners(String group, int count) {
        Waits.await(count + " members owning all partitions", Duration.ofSeconds(60), () -> {
            JsonNode members = get(gateway, "/v1/groups/" + group).json().get("members");
            if (members == null || members.size() != count) {
                return null;
            }
            int owned = 0;
            for (JsonNode member : members) {
                if (member.get("assignment").isEmpty()) {
                    return null;
                }
                for (JsonNode topic : member.get("assignment")) {
                    owned += topic.get("partitions").size();
                }
            }
            return owned == PARTITIONS ? Boolean.TRUE : null;
        });
    }

    private static Member join(Kind kind, String topic, String reset, GroupDeliveries deliveries, String session) {
        return kind == Kind.SSE ? new SseMember(topic, reset, deliveries.session(session))
                : new PollingMember(topic, reset, kind == Kind.POLLING, deliveries.session(session));
    }

    /** A member of the trial's group (named as its topic). */
    private interface Member extends AutoCloseable {

        /** Waits until the member was given partitions and has started reading them. */
        void awaitAssigned();

        /** Fails if the member's client failed. */
        void checkAlive();

        /** Goes away without a word: only a polling member can (an SSE connection's close is a leave). */
        default void abandon() {
            throw new UnsupportedOperationException();
        }

        @Override
        void close();
    }

    /** An SSE member with automatic commits at the gateway's default interval (5 s), as a new user starts one. */
    private static final class SseMember implements Member {

        private final AtomicBoolean assigned = new AtomicBoolean();
        private final GroupSse stream;

        SseMember(String topic, String reset, Consumer<GroupSse.Event> sink) {
            stream = GroupSse.open(GatewayHttp.HTTP, gateway.resolve("/v1/groups/" + topic + "/records?topics=" + topic
                    + "&auto_offset_reset=" + reset), event -> {
                sink.accept(event);
                if (event.type().equals("assignment") && !event.data().get("added").isEmpty()) {
                    assigned.set(true);
                }
            });
        }

        @Override
        public void awaitAssigned() {
            Waits.await("the SSE member's first partitions", Duration.ofSeconds(30), () -> assigned.get() ? true : null);
        }

        @Override
        public void checkAlive() {
            assertThat(stream.isOpen()).as("the SSE member's connection").isTrue();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /**
     * A polling member polling with a 200 ms wait on a thread of its own: with automatic commits, or committing its
     * cursor itself after every fifth poll (a commit refused because a partition moved meanwhile is let be: the next
     * one carries on).
     */
    private static final class PollingMember implements Member {

        private final AtomicBoolean assigned = new AtomicBoolean();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean leave = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;

        PollingMember(String topic, String reset, boolean autoCommit, Consumer<GroupSse.Event> sink) {
            thread = Thread.ofPlatform().name("handoff-poller").start(() -> {
                try {
                    poll(topic, reset, autoCommit, sink);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
        }

        private void poll(String group, String reset, boolean autoCommit, Consumer<GroupSse.Event> sink) {
            Response joined = post(gateway, "/v1/groups/" + group + "/members", "{\"topics\":[\"" + group
                    + "\"],\"auto_offset_reset\":\"" + reset + "\",\"session_timeout_ms\":3000,\"auto_commit\":"
                    + autoCommit + "}");
            assertThat(joined.status()).as(joined.text()).isEqualTo(201);
            String id = joined.json().get("member_id").asString();
            String cursor = joined.json().get("cursor").asString();
            sink.accept(new GroupSse.Event("assignment", joined.json(), null));
            int polls = 0;
            while (running.get()) {
                if (!autoCommit && ++polls % 5 == 0) {
                    post(gateway, "/v1/groups/" + group + "/offsets", "{\"cursor\":\"" + cursor + "\"}");
                }
                Response answer = post(gateway, "/v1/groups/" + group + "/members/" + id + "/poll",
                        "{\"cursor\":\"" + cursor + "\",\"wait_ms\":200,\"max_records\":500}");
                assertThat(answer.status()).as(answer.text()).isEqualTo(200);
                cursor = answer.json().get("cursor").asString();
                answer.json().get("records").forEach(record -> sink.accept(new GroupSse.Event("record", record, null)));
                sink.accept(new GroupSse.Event("assignment", answer.json(), null));
                if (!answer.json().get("assignment").isEmpty()) {
                    assigned.set(true);
                }
            }
            if (leave.get()) {
                Response left = delete(gateway, "/v1/groups/" + group + "/members/" + id + "?cursor=" + cursor);
                assertThat(left.status()).as(left.text()).isEqualTo(204);
            }
        }

        @Override
        public void awaitAssigned() {
            Waits.await("the polling member's first partitions", Duration.ofSeconds(30), () -> {
                checkAlive();
                return assigned.get() ? true : null;
            });
        }

        @Override
        public void checkAlive() {
            if (failure.get() != null) {
                throw new AssertionError("the polling member failed", failure.get());
            }
        }

        @Override
        public void abandon() {
            leave.set(false);
            stop();
        }

        @Override
        public void close() {
            stop();
            checkAlive();
        }

        private void stop() {
            running.set(false);
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
