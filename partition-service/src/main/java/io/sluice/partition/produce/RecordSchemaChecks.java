package io.sluice.partition.produce;

import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.SchemaValidation;
import io.sluice.protocol.record.BufferBatchIterator;
import io.sluice.protocol.record.CorruptRecordException;
import io.sluice.protocol.record.Record;
import io.sluice.protocol.record.RecordBatch;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import io.sluice.schema.WirePayload;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The records of a produce checked against the schema registry before they are appended, for topics whose configs
 * ask for it ({@link SchemaValidation}, docs/schemas.md): every key or value checked must be in Confluent's wire
 * format (magic byte 0, a schema id) with an id that a version of its subject holds, the subject named by the topic's
 * strategy; in content mode its payload must also decode with that schema. A null key or value (a tombstone) is not
 * checked. One refused record refuses its entry (its batches, all or nothing) with INVALID_RECORD_SCHEMA and a
 * record error for each refused record, by its position among the entry's records (Kafka's KIP-467); the request's
 * other entries go on. Entries of topics without validation cost one lookup.
 *
 * <p>Every way in reaches this: the gateways' produces (HTTP and their Kafka listener) and a leader's own Kafka
 * listener all append through {@link ProduceService}.
 *
 * <p>Schemas are parsed once per id (an id always names the same schema) and kept; which ids each subject holds is
 * the registry's state, read again when a record names an id the state read last does not list for its subject
 * (a version registered since is accepted at once) and at least every {@value #STATE_MAX_AGE_SECONDS} s (a version
 * deleted since stops being accepted within that). Thread-safe.
 */
final class RecordSchemaChecks {

    static final int STATE_MAX_AGE_SECONDS = 5;
    /** The most record errors one entry's answer lists; the message says how many more there were. */
    static final int MAX_RECORD_ERRORS = 64;
    private static final long STATE_MAX_AGE_NANOS = Duration.ofSeconds(STATE_MAX_AGE_SECONDS).toNanos();

    /** A key or value to check: where it is (entry, record index, topic), which half, its topic's rules, its bytes. */
    private record Candidate(int entry, int index, String topic, boolean isKey, SchemaValidation.Side side,
                             byte[] bytes) {

        String half() {
            return isKey ? "key" : "value";
        }
    }

    /**
     * A candidate read once against the schemas its request names: its schema id, the wire format taken apart, and the
     * subject its topic's strategy names — or why it cannot be read so ({@code problem}, then the rest is null).
     */
    private record Reading(Candidate candidate, Integer id, ParsedSchema schema, WirePayload payload, String subject,
                           String problem) {

        static Reading refused(Candidate candidate, String problem) {
            return new Reading(candidate, null, null, null, null, problem);
        }
    }

    /** The registry's subjects as last read, with when. */
    private record Subjects(Map<String, Set<Integer>> ids, long readAt) {

        boolean holds(Reading reading) {
            return ids.getOrDefault(reading.subject(), Set.of()).contains(reading.id());
        }
    }

    private final SchemaRegistryApi registry;
    private final LongSupplier nanoClock;
    private final Map<Integer, ParsedSchema> schemas = new ConcurrentHashMap<>();
    private volatile Subjects subjects = new Subjects(Map.of(), Long.MIN_VALUE);

    RecordSchemaChecks(SchemaRegistryApi registry, LongSupplier nanoClock) {
        this.registry = registry;
        this.nanoClock = nanoClock;
    }

    /**
     * The entries of {@code request} that break their topic's rules, answered, by entry index; empty when every
     * entry may be appended.
     */
    Mono<Map<Integer, ProduceResponse.PartitionResult>> check(List<PartitionBatches> request,
                                                               Function<TopicPartition, SchemaValidation> rules) {
        List<Candidate> candidates = new ArrayList<>();
        for (int entry = 0; entry < request.size(); entry++) {
            TopicPartition tp = request.get(entry).partition();
            SchemaValidation validation = rules.apply(tp);
            if (validation.any()) {
                collect(entry, tp.topic(), request.get(entry).batches(), validation, candidates);
            }
        }
        if (candidates.isEmpty()) {
            return Mono.just(Map.of());
        }
        Set<Integer> ids = new HashSet<>();
        candidates.forEach(candidate -> idOf(candidate.bytes()).ifPresent(ids::add));
        return Flux.fromIterable(ids)
                .flatMap(id -> parsed(id).map(parsed -> Map.entry(id, Optional.of(parsed)))
                        .onErrorResume(e -> e instanceof SluiceException s
                                        && s.errorCode() == ErrorCode.SCHEMA_NOT_FOUND,
                                e -> Mono.just(Map.entry(id, Optional.<ParsedSchema>empty()))))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(parsed -> candidates.stream().map(candidate -> read(candidate, parsed)).toList())
                .flatMap(readings -> subjects(readings).map(known -> refusals(request, readings, known)));
    }

    /** Every checked key and value of the entry's records, with its position among them. */
    private static void collect(int entry, String topic, ByteBuffer batches, SchemaValidation validation,
                                List<Candidate> out) {
        int index = 0;
        try {
            for (RecordBatch batch : BufferBatchIterator.batches(batches.duplicate())) {
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch.records()) {
                    if (validation.key().checked() && record.key() != null) {
                        out.add(new Candidate(entry, index, topic, true, validation.key(), record.key()));
                    }
                    if (validation.value().checked() && record.value() != null) {
                        out.add(new Candidate(entry, index, topic, false, validation.value(), record.value()));
                    }
                    index++;
                }
            }
        } catch (CorruptRecordException e) {
            // Left to the append, which refuses a corrupt entry with CORRUPT_RECORD, as every append does.
            out.removeIf(candidate -> candidate.entry() == entry);
        }
    }

    /** The candidate taken apart once: its id, schema, payload and subject, or why not. */
    private static Reading read(Candidate candidate, Map<Integer, Optional<ParsedSchema>> parsed) {
        String half = candidate.half();
        Optional<Integer> id = idOf(candidate.bytes());
        if (id.isEmpty()) {
            return Reading.refused(candidate, "the " + half + " is not in the Confluent wire format (a magic byte 0 "
                    + "and a 4-byte schema id)");
        }
        Optional<ParsedSchema> schema = parsed.getOrDefault(id.get(), Optional.empty());
        if (schema.isEmpty()) {
            return Reading.refused(candidate, "the " + half + "'s schema id " + id.get() + " is not registered");
        }
        WirePayload payload;
        try {
            payload = WireFormat.decode(ByteBuffer.wrap(candidate.bytes()), schema.get().type());
        } catch (InvalidPayloadException e) {
            return Reading.refused(candidate, "the " + half + " does not decode: " + e.getMessage());
        }
        SchemaValidation.SubjectNaming naming = candidate.side().naming();
        String subject;
        try {
            subject = naming.subject(candidate.topic(), candidate.isKey(),
                    naming == SchemaValidation.SubjectNaming.TOPIC ? null
                            : schema.get().recordName(payload.messageIndexes()));
        } catch (InvalidPayloadException e) {
            return Reading.refused(candidate, "the " + half + "'s message indexes " + payload.messageIndexes()
                    + " select no message of schema " + id.get());
        }
        return new Reading(candidate, id.get(), schema.get(), payload, subject, null);
    }

    /** The registry's subjects, read again if one of the ids named is not listed for its subject, or they aged. */
    private Mono<Subjects> subjects(List<Reading> readings) {
        Subjects known = subjects;
        boolean fresh = nanoClock.getAsLong() - known.readAt() < STATE_MAX_AGE_NANOS;
        if (fresh && readings.stream().allMatch(reading -> reading.problem() != null || known.holds(reading))) {
            return Mono.just(known);
        }
        long reading = nanoClock.getAsLong();
        return registry.registryState().map(state -> {
            Subjects read = new Subjects(idsBySubject(state), reading);
            subjects = read;
            return read;
        });
    }

    private static Map<Integer, ProduceResponse.PartitionResult> refusals(List<PartitionBatches> request,
                                                                          List<Reading> readings, Subjects known) {
        Map<Integer, List<ProduceResponse.RecordError>> errors = new HashMap<>();
        for (Reading reading : readings) {
            String problem = problem(reading, known);
            if (problem != null) {
                errors.computeIfAbsent(reading.candidate().entry(), e -> new ArrayList<>())
                        .add(new ProduceResponse.RecordError(reading.candidate().index(), problem));
            }
        }
        Map<Integer, ProduceResponse.PartitionResult> refused = new HashMap<>();
        errors.forEach((entry, list) -> {
            TopicPartition tp = request.get(entry).partition();
            List<ProduceResponse.RecordError> listed = list.size() > MAX_RECORD_ERRORS
                    ? list.subList(0, MAX_RECORD_ERRORS) : list;
            String message = list.size() + " record" + (list.size() == 1 ? "" : "s") + " of " + tp
                    + " refused by the topic's schema validation (nothing of the batch was written); the first: "
                    + list.getFirst().message();
            refused.put(entry, new ProduceResponse.PartitionResult(tp.topic(), tp.partition(),
                    ErrorCode.INVALID_RECORD_SCHEMA, message, null, null, null, null, listed));
        });
        return refused;
    }

    /** Why the read candidate is refused, or null. */
    private static String problem(Reading reading, Subjects known) {
        if (reading.problem() != null) {
            return reading.problem();
        }
        String half = reading.candidate().half();
        if (!known.holds(reading)) {
            return "the " + half + "'s schema id " + reading.id() + " is not registered for subject '"
                    + reading.subject() + "'";
        }
        if (reading.candidate().side().content()) {
            try {
                reading.schema().validate(reading.payload().payload(), reading.payload().messageIndexes());
            } catch (InvalidPayloadException e) {
                return "the " + half + " does not match its schema " + reading.id() + ": " + e.getMessage();
            }
        }
        return null;
    }

    /** The schema id of Confluent's wire format, if the bytes have its header. */
    private static Optional<Integer> idOf(byte[] bytes) {
        if (bytes.length < WireFormat.HEADER_SIZE || bytes[0] != WireFormat.MAGIC) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    /** Schema {@code id}, parsed once and kept. */
    private Mono<ParsedSchema> parsed(int id) {
        ParsedSchema known = schemas.get(id);
        if (known != null) {
            return Mono.just(known);
        }
        return registry.resolvedSchema(id).map(RecordSchemaChecks::parse).doOnNext(parsed -> schemas.put(id, parsed));
    }

    private static ParsedSchema parse(ResolvedSchema resolved) {
        try {
            return Schemas.parse(resolved.schema().schemaType(), resolved.schema().schema(), resolved.references());
        } catch (InvalidSchemaException e) {
            throw ErrorCode.SCHEMA_NOT_FOUND.exception("Schema " + resolved.id() + " does not parse here: "
                    + e.getMessage());
        }
    }

    /** The ids each subject's versions not soft-deleted hold. */
    private static Map<String, Set<Integer>> idsBySubject(RegistryState state) {
        Map<String, Set<Integer>> ids = new HashMap<>();
        for (SubjectVersions subject : state.subjects()) {
            Set<Integer> held = new HashSet<>();
            for (SubjectVersion version : subject.live()) {
                held.add(version.id());
            }
            ids.put(subject.subject(), held);
        }
        return ids;
    }
}
