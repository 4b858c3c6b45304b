package io.sluice.partition.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.internal.partition.PartitionBatches;
import io.sluice.internal.partition.ProduceResponse;
import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.RegistryRequests;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.TopicPartition;
import io.sluice.protocol.config.SchemaValidation;
import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.Schemas;
import io.sluice.schema.WireFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The produce-time checks of records against the registry: the wire format, the id registered for the subject the
 * topic's strategy names, the payload with content validation, each refusal naming its record, a version
 * registered since the last read accepted at once, and an id whose version of the subject was deleted refused.
 */
class RecordSchemaChecksTest {

    private static final String PAYMENT = "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"io.example\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final TopicPartition LOGS = new TopicPartition("logs", 0);

    private final Registry registry = new Registry();
    private final AtomicLong nanos = new AtomicLong();
    private final RecordSchemaChecks checks = new RecordSchemaChecks(registry, nanos::get);

    @Test
    void recordsWithTheSubjectsSchemaIdPassAndATopicWithoutValidationIsNotRead() {
        registry.register(1, "orders-value", PAYMENT);

        Map<Integer, ProduceResponse.PartitionResult> refused = check(ids(true, false),
                entry(ORDERS, wire(1, "p-1"), wire(1, "p-2")), entry(LOGS, "plain".getBytes()));

        assertThat(refused).isEmpty();
    }

    @Test
    void eachRefusedRecordIsNamedAndItsEntryRefusedWhileTheOthersGoOn() {
        registry.register(1, "orders-value", PAYMENT);
        registry.register(2, "payments-value", PAYMENT);

        Map<Integer, ProduceResponse.PartitionResult> refused = check(ids(true, false),
                entry(ORDERS, wire(1, "ok"), "no header".getBytes(), wire(2, "wrong subject"), wire(9, "unknown")),
                entry(new TopicPartition("orders", 1), wire(1, "fine")));

        assertThat(refused).containsOnlyKeys(0);
        ProduceResponse.PartitionResult result = refused.get(0);
        assertThat(result.errorCode()).isEqualTo(ErrorCode.INVALID_RECORD_SCHEMA);
        assertThat(result.recordErrors()).extracting(ProduceResponse.RecordError::index).containsExactly(1, 2, 3);
        assertThat(result.recordErrors().get(0).message()).contains("not in the Confluent wire format");
        assertThat(result.recordErrors().get(1).message()).contains("schema id 2")
                .contains("subject 'orders-value'");
        assertThat(result.recordErrors().get(2).message()).contains("schema id 9 is not registered");
    }

    @Test
    void contentValidationDecodesThePayloadAndIdValidationDoesNot() {
        registry.register(1, "orders-value", PAYMENT);
        byte[] garbage = WireFormat.encode(1, SchemaType.AVRO, List.of(), new byte[] {(byte) 0xff, 1, 2});

        assertThat(check(ids(true, false), entry(ORDERS, garbage))).isEmpty();
        assertThat(check(new SchemaValidation(SchemaValidation.NONE.key(),
                new SchemaValidation.Side(true, SchemaValidation.SubjectNaming.TOPIC, true)), entry(ORDERS, garbage))
                .get(0).recordErrors()).singleElement()
                .satisfies(error -> assertThat(error.message()).contains("does not match its schema 1"));
    }

    @Test
    void recordNameStrategyChecksTheSubjectNamedAfterTheRecordsType() {
        registry.register(1, "io.example.Payment", PAYMENT);
        SchemaValidation byRecord = new SchemaValidation(SchemaValidation.NONE.key(),
                new SchemaValidation.Side(true, SchemaValidation.SubjectNaming.RECORD, false));

        assertThat(check(byRecord, entry(ORDERS, wire(1, "p")))).isEmpty();
    }

    @Test
    void aVersionRegisteredAfterTheLastReadIsAcceptedAtOnceAndNullsAreNotChecked() {
        registry.register(1, "orders-value", PAYMENT);
        assertThat(check(ids(true, true), entry(ORDERS, wire(1, "p")))).isNotEmpty(); // the key is a wire record too
        registry.register(2, "orders-value", PAYMENT.replace("Payment", "Refund"));

        Map<Integer, ProduceResponse.PartitionResult> refused = check(ids(true, false),
                entry(ORDERS, wire(2, "refund"), null));

        assertThat(refused).isEmpty();
        assertThat(registry.stateReads).isEqualTo(2);
    }

    @Test
    void anIdWhoseOnlyVersionOfTheSubjectIsSoftOrPermanentlyDeletedIsRefused() {
        registry.register(1, "orders-value", PAYMENT);
        registry.register(2, "orders-value", PAYMENT.replace("Payment", "Refund"));
        registry.register(1, "payments-value", PAYMENT);
        registry.softDelete("orders-value", 1);

        Map<Integer, ProduceResponse.PartitionResult> afterSoftDelete = check(ids(true, false),
                entry(ORDERS, wire(1, "soft-deleted"), wire(2, "live")));
        registry.permanentlyDelete("orders-value", 1);
        Map<Integer, ProduceResponse.PartitionResult> afterPermanentDelete = check(ids(true, false),
                entry(ORDERS, wire(2, "live"), wire(1, "deleted")));

        assertThat(afterSoftDelete).as("refused after the soft delete").containsOnlyKeys(0);
        assertThat(afterPermanentDelete).as("refused after the permanent delete").containsOnlyKeys(0);
        assertThat(afterSoftDelete.get(0).recordErrors()).singleElement().satisfies(error -> {
            assertThat(error.index()).isZero();
            assertThat(error.message()).contains("schema id 1 is not registered for subject 'orders-value'");
        });
        assertThat(afterPermanentDelete.get(0).recordErrors()).singleElement().satisfies(error -> {
            assertThat(error.index()).isEqualTo(1);
            assertThat(error.message()).contains("schema id 1 is not registered for subject 'orders-value'");
        });
    }

    @Test
    void aVersionDeletedAfterTheLastReadIsRefusedOnceThatReadIsTooOld() {
        registry.register(1, "orders-value", PAYMENT);
        assertThat(check(ids(true, false), entry(ORDERS, wire(1, "before")))).isEmpty();
        registry.softDelete("orders-value", 1);

        nanos.addAndGet(Duration.ofSeconds(RecordSchemaChecks.STATE_MAX_AGE_SECONDS).toNanos());
        Map<Integer, ProduceResponse.PartitionResult> refused = check(ids(true, false),
                entry(ORDERS, wire(1, "after")));

        assertThat(refused).containsOnlyKeys(0);
        assertThat(refused.get(0).errorCode()).isEqualTo(ErrorCode.INVALID_RECORD_SCHEMA);
        assertThat(registry.stateReads).isEqualTo(2);
    }

    private Map<Integer, ProduceResponse.PartitionResult> check(SchemaValidation orders, PartitionBatches... entries) {
        Function<TopicPartition, SchemaValidation> rules = tp -> tp.topic().equals("orders") ? orders
                : SchemaValidation.NONE;
        return checks.check(List.of(entries), rules).block();
    }

    private static SchemaValidation ids(boolean values, boolean keys) {
        SchemaValidation.Side checked = new SchemaValidation.Side(true, SchemaValidation.SubjectNaming.TOPIC, false);
        return new SchemaValidation(keys ? checked : SchemaValidation.NONE.key(),
                values ? checked : SchemaValidation.NONE.value());
    }

    /** One entry: a batch whose records have these values (keys of 'k' when any are checked). */
    private static PartitionBatches entry(TopicPartition tp, byte[]... values) {
        RecordBatchBuilder batch = RecordBatchBuilder.of(CompressionType.NONE);
        for (byte[] value : values) {
            batch.append(1L, "k".getBytes(), value);
        }
        return new PartitionBatches(tp, PartitionBatches.ANY_EPOCH, batch.build());
    }

    /** An Avro Payment with {@code id}, in the wire format under schema {@code schemaId}. */
    private static byte[] wire(int schemaId, String id) {
        byte[] payload = Schemas.parse(SchemaType.AVRO, PAYMENT).toBinary("{\"id\":\"" + id + "\"}", List.of());
        return WireFormat.encode(schemaId, SchemaType.AVRO, List.of(), payload);
    }

    /** The registry's answers the checks use, from memory. */
    private static final class Registry implements SchemaRegistryApi {

        private final Map<Integer, SchemaDefinition> schemas = new HashMap<>();
        private final Map<String, List<SubjectVersion>> subjects = new HashMap<>();
        int stateReads;

        void register(int id, String subject, String schema) {
            schemas.put(id, new SchemaDefinition(SchemaType.AVRO, schema, List.of()));
            List<SubjectVersion> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
            versions.add(new SubjectVersion(versions.size() + 1, id, false));
        }

        /** Marks the version deleted; the subject keeps it (the registry's soft delete). */
        void softDelete(String subject, int version) {
            subjects.get(subject).replaceAll(v -> v.version() == version ? new SubjectVersion(version, v.id(), true)
                    : v);
        }

        /** Removes the version from the subject; its schema stays readable by id, as the registry keeps it. */
        void permanentlyDelete(String subject, int version) {
            subjects.get(subject).removeIf(v -> v.version() == version);
        }

        @Override
        public Mono<RegistryState> registryState() {
            stateReads++;
            List<SubjectVersions> all = new ArrayList<>();
            subjects.forEach((subject, versions) -> all.add(new SubjectVersions(subject, List.copyOf(versions))));
            return Mono.just(new RegistryState(stateReads, CompatibilityLevel.BACKWARD, RegistryMode.READWRITE, all,
                    Map.of(), Map.of()));
        }

        @Override
        public Mono<SchemaDefinition> schema(int id) {
            return Mono.justOrEmpty(schemas.get(id));
        }

        @Override
        public Mono<ResolvedSchema> resolvedSchema(int id) {
            SchemaDefinition schema = schemas.get(id);
            return schema == null ? Mono.error(ErrorCode.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found"))
                    : Mono.just(new ResolvedSchema(id, schema, List.of()));
        }

        @Override
        public Mono<RegistryRequests.Registered> register(RegistryRequests.Register request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.SubjectSchema> lookup(RegistryRequests.Lookup request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.CompatibilityReport> checkCompatibility(
                RegistryRequests.CompatibilityCheck request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.Deleted> delete(RegistryRequests.Delete request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.SchemaIds> referencedBy(RegistryRequests.ReferencedBy request) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.CompatibilityChange> changeCompatibility(
                RegistryRequests.CompatibilityChange change) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Mono<RegistryRequests.ModeChange> changeMode(RegistryRequests.ModeChange change) {
            return Mono.error(new UnsupportedOperationException());
        }
    }
}
