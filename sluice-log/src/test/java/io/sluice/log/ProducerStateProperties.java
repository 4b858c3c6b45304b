package io.sluice.log;

import static io.sluice.log.TestRecords.batch;
import static io.sluice.log.TestRecords.idempotent;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Producer state against a model: any interleaving of idempotent sends (in order, retried, skipping, with a new or an
 * old epoch), plain appends, clean restarts, crashes and truncations leaves the log answering every send as the
 * rules say for the batches the log holds (duplicate with the original offsets, written, or refused with Kafka's
 * code), and its producer state equal to the one the log's batches imply.
 */
class ProducerStateProperties {

    enum Kind { NEXT, RETRY, SKIP, NEW_EPOCH, OLD_EPOCH }

    sealed interface Step permits Send, Plain, Restart, Truncate {
    }

    record Send(int producer, Kind kind, int back, int records) implements Step {
    }

    record Plain() implements Step {
    }

    record Restart(boolean crash) implements Step {
    }

    record Truncate(double where) implements Step {
    }

    /** A batch the model log holds. */
    record Written(long producerId, short epoch, int firstSeq, int lastSeq, long firstOffset, long lastOffset) {
    }

    /** A batch a producer sent. */
    record Sent(short epoch, int firstSeq, int records) {
    }

    /** What the log should answer. */
    record Expected(ErrorCode error, Written duplicate) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> send = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.frequency(Tuple.of(8, Kind.NEXT), Tuple.of(5, Kind.RETRY), Tuple.of(1, Kind.SKIP),
                                Tuple.of(1, Kind.NEW_EPOCH), Tuple.of(1, Kind.OLD_EPOCH)),
                        Arbitraries.integers().between(0, 6), Arbitraries.integers().between(1, 3))
                .as(Send::new);
        return Arbitraries.frequencyOf(Tuple.of(12, send), Tuple.of(1, Arbitraries.just(new Plain())),
                        Tuple.of(2, Arbitraries.of(true, false).map(Restart::new)),
                        Tuple.of(1, Arbitraries.doubles().between(0, 1).map(Truncate::new)))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 200)
    void logAnswersAsItsBatchesImply(@ForAll("histories") List<Step> history,
                                     @ForAll @IntRange(min = 150, max = 500) int segmentBytes) throws Exception {
        Path dir = Files.createTempDirectory("producer-props").resolve("t-0");
        MutableClock clock = new MutableClock(1_000_000);
        LogConfig config = LogConfig.defaults().withSegmentBytes(segmentBytes).withFileDeleteDelayMs(0);
        PartitionLog log = PartitionLog.open(dir, config, clock);
        List<Written> model = new ArrayList<>();
        long[] modelEnd = {0};
        Map<Integer, List<Sent>> sent = new HashMap<>();
        Map<Integer, short[]> epochs = new HashMap<>();
        Map<Integer, int[]> nextSeqs = new HashMap<>();
        try {
            for (Step step : history) {
                switch (step) {
                    case Send s -> {
                        List<Sent> mine = sent.computeIfAbsent(s.producer(), p -> new ArrayList<>());
                        short[] epoch = epochs.computeIfAbsent(s.producer(), p -> new short[1]);
                        int[] next = nextSeqs.computeIfAbsent(s.producer(), p -> new int[1]);
                        Sent batch = switch (s.kind()) {
                            case RETRY -> mine.isEmpty() ? new Sent(epoch[0], next[0], s.records())
                                    : mine.get(Math.max(0, mine.size() - 1 - s.back()));
                            case SKIP -> new Sent(epoch[0], next[0] + 1 + s.back(), s.records());
                            case NEW_EPOCH -> new Sent((short) (epoch[0] + 1), 0, s.records());
                            case OLD_EPOCH -> new Sent((short) Math.max(0, epoch[0] - 1), next[0], s.records());
                            case NEXT -> new Sent(epoch[0], next[0], s.records());
                        };
                        Expected expected = expect(derive(model), s.producer(), batch);
                        String[] values = new String[batch.records()];
                        java.util.Arrays.fill(values, "p" + s.producer());
                        AppendResult result = null;
                        ErrorCode error = null;
                        try {
                            result = log.appendAsLeader(idempotent(s.producer(), batch.epoch(), batch.firstSeq(),
                                    values), 0);
                        } catch (SluiceException e) {
                            error = e.errorCode();
                        }
                        assertThat(error).as("answer to %s after %s", batch, model).isEqualTo(expected.error());
                        if (expected.duplicate() != null) {
                            assertThat(result.duplicate()).isTrue();
                            assertThat(result.firstOffset()).isEqualTo(expected.duplicate().firstOffset());
                            assertThat(result.lastOffset()).isEqualTo(expected.duplicate().lastOffset());
                        } else if (error == null) {
                            assertThat(result.duplicate()).isFalse();
                            assertThat(result.firstOffset()).isEqualTo(modelEnd[0]);
                            model.add(new Written(s.producer(), batch.epoch(), batch.firstSeq(),
                                    batch.firstSeq() + batch.records() - 1, result.firstOffset(), result.lastOffset()));
                            modelEnd[0] = result.lastOffset() + 1;
                            mine.add(batch);
                            epoch[0] = batch.epoch();
                            next[0] = batch.firstSeq() + batch.records();
                        } else {
                            // As a Kafka producer after a definite refusal: a new epoch, from sequence 0.
                            epoch[0] = (short) (Math.max(epoch[0], batch.epoch()) + 1);
                            next[0] = 0;
                        }
                    }
                    case Plain p -> {
                        AppendResult result = log.appendAsLeader(batch(1, "plain"), 0);
                        modelEnd[0] = result.lastOffset() + 1;
                    }
                    case Restart r -> {
                        if (r.crash()) {
                            log.abandon();
                        } else {
                            log.close();
                        }
                        log = PartitionLog.open(dir, config, clock);
                    }
                    case Truncate t -> {
                        if (!model.isEmpty()) {
                            Written cut = model.get((int) Math.min(model.size() - 1, t.where() * model.size()));
                            log.truncateTo(cut.firstOffset());
                            model.removeIf(w -> w.firstOffset() >= cut.firstOffset());
                            modelEnd[0] = log.logEndOffset();
                        }
                    }
                }
                assertThat(view(log.producerStates())).as("state after %s", step).isEqualTo(derive(model));
            }
        } finally {
            log.close();
            LogManager.deleteRecursively(dir.getParent());
        }
    }

    /** Per producer: its epoch and last five batches in it, from the batches of the log in order. */
    private static Map<Long, List<Written>> derive(List<Written> log) {
        Map<Long, List<Written>> state = new TreeMap<>();
        for (Written w : log) {
            List<Written> batches = state.computeIfAbsent(w.producerId(), p -> new ArrayList<>());
            if (!batches.isEmpty() && batches.getLast().epoch() != w.epoch()) {
                batches.clear();
            }
            batches.add(w);
            if (batches.size() > 5) {
                batches.removeFirst();
            }
        }
        return state;
    }

    private static Map<Long, List<Written>> view(Map<Long, ProducerStateEntry> states) {
        Map<Long, List<Written>> view = new TreeMap<>();
        states.forEach((id, entry) -> view.put(id, entry.batches().stream()
                .map(b -> new Written(id, entry.producerEpoch(), b.firstSeq(), b.lastSeq(), b.firstOffset(),
                        b.lastOffset()))
                .toList()));
        return view;
    }

    private static Expected expect(Map<Long, List<Written>> state, long producerId, Sent batch) {
        List<Written> batches = state.get(producerId);
        int lastSeq = batch.firstSeq() + batch.records() - 1;
        if (batches == null) {
            return new Expected(batch.firstSeq() == 0 ? null : ErrorCode.UNKNOWN_PRODUCER_ID, null);
        }
        short epoch = batches.getLast().epoch();
        if (batch.epoch() < epoch) {
            return new Expected(ErrorCode.INVALID_PRODUCER_EPOCH, null);
        }
        if (batch.epoch() > epoch) {
            return new Expected(batch.firstSeq() == 0 ? null : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
        }
        for (Written w : batches) {
            if (w.firstSeq() == batch.firstSeq() && w.lastSeq() == lastSeq) {
                return new Expected(null, w);
            }
        }
        return new Expected(batch.firstSeq() == batches.getLast().lastSeq() + 1 ? null
                : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, null);
    }
}
