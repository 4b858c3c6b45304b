package io.sluice.gateway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.RegistryRequests;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaReference;
import io.sluice.internal.registry.SchemaRegistryApi;
import io.sluice.internal.registry.SubjectVersion;
import io.sluice.internal.registry.SubjectVersions;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.ParsedSchema;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Registered schemas are parsed with the references' texts the registry answers with them, kept by id, and asked for
 * once; a subject's version names its schema; ids that do not resolve are left out of a reader's lookup, not failing
 * it.
 */
class ParsedSchemasTest {

    private static final String LINE = """
            {"type": "record", "name": "Line", "namespace": "demo", "fields": [{"name": "sku", "type": "string"}]}""";
    private static final String ORDER = """
            {"type": "record", "name": "Order", "namespace": "demo", "fields": [{"name": "line", "type": "demo.Line"}]}""";
    private static final String ORDER_V2 = """
            {"type": "record", "name": "Order", "namespace": "demo", "fields": [{"name": "line", "type": "demo.Line"},
             {"name": "qty", "type": "int", "default": 1}]}""";

    private final InMemoryRegistry registry = new InMemoryRegistry(
            Map.of(1, new SchemaDefinition(SchemaType.AVRO, LINE, List.of()),
                    2, new SchemaDefinition(SchemaType.AVRO, ORDER, List.of(new SchemaReference("demo.Line", "line", 1))),
                    3, new SchemaDefinition(SchemaType.AVRO, ORDER_V2,
                            List.of(new SchemaReference("demo.Line", "line", 1)))),
            List.of(new SubjectVersions("line", List.of(new SubjectVersion(1, 1, false))),
                    new SubjectVersions("orders-value", List.of(new SubjectVersion(1, 2, false),
                            new SubjectVersion(2, 3, false))),
                    new SubjectVersions("gone-value", List.of(new SubjectVersion(1, 1, true)))));
    private final ParsedSchemas schemas = new ParsedSchemas(registry);

    @Test
    void aSchemaWithAReferenceIsParsedWithTheReferencedVersionsText() {
        ParsedSchema order = schemas.schema(2).block();

        assertThat(order.references()).singleElement().satisfies(reference -> {
            assertThat(reference.name()).isEqualTo("demo.Line");
            assertThat(reference.schema()).isEqualTo(LINE);
        });
        byte[] payload = order.toBinary("{\"line\": {\"sku\": \"a-1\"}}", List.of());
        assertThat(order.toJson(ByteBuffer.wrap(payload), List.of()))
                .isEqualTo("{\"line\":{\"sku\":\"a-1\"}}");
    }

    @Test
    void aParsedSchemaIsKeptByIdAndNotAskedForAgain() {
        ParsedSchema first = schemas.schema(1).block();
        int asked = registry.schemaCalls.get();

        ParsedSchema again = schemas.schema(1).block();

        assertThat(again).isSameAs(first);
        assertThat(registry.schemaCalls.get()).isEqualTo(asked);
    }

    @Test
    void aSubjectsLatestVersionIsItsNewestLiveOneAndANamedVersionThatOne() {
        assertThat(schemas.forSubject("orders-value", null).block().id()).isEqualTo(3);
        assertThat(schemas.forSubject("orders-value", 1).block().id()).isEqualTo(2);
        assertThatThrownBy(() -> schemas.forSubject("orders-value", 9).block())
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SCHEMA_VERSION_NOT_FOUND));
        assertThatThrownBy(() -> schemas.forSubject("gone-value", null).block()).as("soft-deleted")
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SUBJECT_NOT_FOUND));
    }

    @Test
    void anUnknownIdIsSchemaNotFoundAndLeftOutOfAReadersLookup() {
        assertThatThrownBy(() -> schemas.schema(99).block())
                .isInstanceOfSatisfying(SluiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SCHEMA_NOT_FOUND));
        assertThat(schemas.known(List.of(1, 99)).block()).containsOnlyKeys(1);
    }

    /**
     * The registry's state and schemas by id, as the coordinator would answer them (references resolved one level
     * deep, enough here); nothing else is asked of it.
     */
    private static final class InMemoryRegistry implements SchemaRegistryApi {

        private final Map<Integer, SchemaDefinition> schemas;
        private final List<SubjectVersions> subjects;
        final AtomicInteger schemaCalls = new AtomicInteger();

        InMemoryRegistry(Map<Integer, SchemaDefinition> schemas, List<SubjectVersions> subjects) {
            this.schemas = schemas;
            this.subjects = subjects;
        }

        @Override
        public Mono<RegistryState> registryState() {
            return Mono.just(new RegistryState(1, CompatibilityLevel.BACKWARD, RegistryMode.READWRITE, subjects,
                    Map.of(), Map.of()));
        }

        @Override
        public Mono<SchemaDefinition> schema(int id) {
            SchemaDefinition found = schemas.get(id);
            return found != null ? Mono.just(found)
                    : Mono.error(ErrorCode.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found"));
        }

        @Override
        public Mono<ResolvedSchema> resolvedSchema(int id) {
            schemaCalls.incrementAndGet();
            return schema(id).map(definition -> new ResolvedSchema(id, definition, definition.references().stream()
                    .map(reference -> {
                        int referenced = subjects.stream().filter(s -> s.subject().equals(reference.subject()))
                                .findFirst().flatMap(s -> s.version(reference.version())).orElseThrow().id();
                        return new ResolvedReference(reference.name(), reference.subject(),
                                reference.version(), schemas.get(referenced).schema());
                    })
                    .toList()));
        }

        @Override
        public Mono<RegistryRequests.Registered> register(RegistryRequests.Register request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.SubjectSchema> lookup(RegistryRequests.Lookup request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.CompatibilityReport> checkCompatibility(
                RegistryRequests.CompatibilityCheck request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.Deleted> delete(RegistryRequests.Delete request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.SchemaIds> referencedBy(RegistryRequests.ReferencedBy request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.CompatibilityChange> changeCompatibility(
                RegistryRequests.CompatibilityChange change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Mono<RegistryRequests.ModeChange> changeMode(RegistryRequests.ModeChange change) {
            throw new UnsupportedOperationException();
        }
    }
}
