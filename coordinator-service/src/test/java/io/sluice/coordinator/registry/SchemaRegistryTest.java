package io.sluice.coordinator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import io.sluice.coordinator.store.RedisKeys;
import io.sluice.coordinator.testing.CoordinatorTestSupport;
import io.sluice.coordinator.testing.TestRedis;
import io.sluice.internal.registry.RegistryMode;
import io.sluice.internal.registry.RegistryPaths;
import io.sluice.internal.registry.RegistryRequests.CompatibilityChange;
import io.sluice.internal.registry.RegistryRequests.CompatibilityCheck;
import io.sluice.internal.registry.RegistryRequests.CompatibilityReport;
import io.sluice.internal.registry.RegistryRequests.Delete;
import io.sluice.internal.registry.RegistryRequests.Deleted;
import io.sluice.internal.registry.RegistryRequests.Lookup;
import io.sluice.internal.registry.RegistryRequests.ModeChange;
import io.sluice.internal.registry.RegistryRequests.ReferencedBy;
import io.sluice.internal.registry.RegistryRequests.Register;
import io.sluice.internal.registry.RegistryRequests.Registered;
import io.sluice.internal.registry.RegistryRequests.SchemaIds;
import io.sluice.internal.registry.RegistryRequests.SubjectSchema;
import io.sluice.internal.registry.RegistryState;
import io.sluice.internal.registry.ResolvedSchema;
import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaReference;
import io.sluice.protocol.schema.CompatibilityLevel;
import io.sluice.protocol.schema.SchemaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * The schema registry's rules at the active coordinator, over its internal routes and a real Redis: ids are one per
 * schema and never given twice, versions follow compatibility, deletes are soft then permanent, references protect
 * what they name, and the modes and levels apply. Each test uses subjects of its own.
 */
class SchemaRegistryTest extends CoordinatorTestSupport {

    private static final String ORDER_V1 = record("Order", "{\"name\":\"id\",\"type\":\"long\"}");
    private static final String ORDER_V2 = record("Order", "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}");
    private static final String ORDER_NO_DEFAULT = record("Order", "{\"name\":\"id\",\"type\":\"long\"},"
            + "{\"name\":\"note\",\"type\":\"string\"}");
    private static final String ORDER_STRING_ID = record("Order", "{\"name\":\"id\",\"type\":\"string\"}");

    @Test
    void oneSchemaHasOneIdUnderEverySubjectAndRegisteringItAgainChangesNothing() {
        api();
        Registered first = register("same-a-value", avro(ORDER_V1));
        long version = state().version();

        Registered again = register("same-a-value", avro(ORDER_V1.replace(",", ", ")));
        Registered elsewhere = register("same-b-value", avro(ORDER_V1));

        assertThat(again).isEqualTo(first);
        assertThat(elsewhere).isEqualTo(new Registered(first.id(), 1));
        assertThat(state().version()).as("one write: the second subject's").isEqualTo(version + 1);
        assertThat(schema(first.id()).schema()).doesNotContain(", ");
    }

    @Test
    void anIncompatibleSchemaIsRefusedAndNothingIsRegistered() {
        api();
        Registered v1 = register("compat-value", avro(ORDER_V1));
        long before = state().version();

        error(RegistryPaths.REGISTER, new Register("compat-value", avro(ORDER_NO_DEFAULT), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INCOMPATIBLE_SCHEMA")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("note"));
        assertThat(state().version()).isEqualTo(before);

        Registered v2 = register("compat-value", avro(ORDER_V2));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.id()).isGreaterThan(v1.id());
    }

    @Test
    void aSchemaThatDoesNotParseIsInvalidSchema() {
        api();
        error(RegistryPaths.REGISTER, new Register("bad-value", avro("{\"type\": \"record\"}"), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA");
        error(RegistryPaths.REGISTER, new Register("", avro(ORDER_V1), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SUBJECT");
        assertThat(state().subject("bad-value")).isEmpty();
    }

    @Test
    void concurrentRegistrationsUnderOneSubjectEachTakeTheirOwnVersion() {
        api();
        // Each schema adds one more optional field: every order of registration is BACKWARD compatible.
        List<SchemaDefinition> schemas = IntStream.range(0, 8).mapToObj(k -> avro(record("Grow",
                "{\"name\":\"id\",\"type\":\"long\"}" + IntStream.range(0, k + 1).mapToObj(f -> ",{\"name\":\"f" + f
                        + "\",\"type\":\"int\",\"default\":0}").reduce("", String::concat)))).toList();
        WebTestClient client = web.mutate().build();

        List<Registered> registered = Flux.fromIterable(schemas)
                .flatMap(schema -> client.post().uri(RegistryPaths.REGISTER)
                        .bodyValue(new Register("race-value", schema, false, null, null)).exchange()
                        .returnResult(Registered.class).getResponseBody().next(), 8)
                .collectList().block();

        Set<Integer> versions = new TreeSet<>();
        registered.forEach(r -> versions.add(r.version()));
        assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(state().subject("race-value").orElseThrow().versions()).hasSize(8);
    }

    @Test
    void deletesAreSoftFirstThenPermanentAndIdsAreNeverGivenAgain() {
        api();
        Registered v1 = register("delete-value", avro(ORDER_V1));
        register("delete-value", avro(ORDER_V2));

        error(RegistryPaths.DELETE, new Delete("delete-value", 1, true))
                .jsonPath("$.error_code").isEqualTo("SCHEMA_VERSION_NOT_SOFT_DELETED");
        assertThat(delete(new Delete("delete-value", 1, false)).versions()).containsExactly(1);
        error(RegistryPaths.DELETE, new Delete("delete-value", 1, false))
                .jsonPath("$.error_code").isEqualTo("SCHEMA_VERSION_SOFT_DELETED");
        error(RegistryPaths.DELETE, new Delete("delete-value", null, true))
                .jsonPath("$.error_code").isEqualTo("SUBJECT_NOT_SOFT_DELETED");
        assertThat(delete(new Delete("delete-value", null, false)).versions()).containsExactly(2);
        error(RegistryPaths.DELETE, new Delete("delete-value", null, false))
                .jsonPath("$.error_code").isEqualTo("SUBJECT_SOFT_DELETED");
        assertThat(delete(new Delete("delete-value", null, true)).versions()).containsExactly(1, 2);
        assertThat(state().subject("delete-value")).isEmpty();

        Registered fresh = register("delete-value", avro(record("Other", "{\"name\":\"x\",\"type\":\"int\"}")));
        assertThat(fresh.version()).isEqualTo(1);
        assertThat(fresh.id()).as("a new schema, a new id").isGreaterThan(v1.id() + 1);
        assertThat(schema(v1.id()).schema()).as("an id keeps its schema").contains("Order");
    }

    @Test
    void aReferencedVersionCannotBeDeletedAndReferencesResolveOnRegistration() {
        api();
        register("common-address", avro(record("Address", "{\"name\":\"city\",\"type\":\"string\"}")));
        SchemaDefinition customer = new SchemaDefinition(SchemaType.AVRO, record("Customer",
                "{\"name\":\"address\",\"type\":\"Address\"}"),
                List.of(new SchemaReference("Address", "common-address", 1)));
        Registered referring = register("customer-value", customer);

        assertThat(post(RegistryPaths.REFERENCED_BY, new ReferencedBy("common-address", 1), SchemaIds.class).ids())
                .containsExactly(referring.id());
        ResolvedSchema resolved = web.get().uri(RegistryPaths.resolved(referring.id())).exchange().expectStatus()
                .isOk().expectBody(ResolvedSchema.class).returnResult().getResponseBody();
        assertThat(resolved.references()).singleElement().satisfies(reference -> {
            assertThat(reference.name()).isEqualTo("Address");
            assertThat(reference.schema()).contains("city");
        });
        error(RegistryPaths.DELETE, new Delete("common-address", 1, false))
                .jsonPath("$.error_code").isEqualTo("SCHEMA_REFERENCE_EXISTS");
        error(RegistryPaths.REGISTER, new Register("broken-value", new SchemaDefinition(SchemaType.AVRO,
                customer.schema(), List.of(new SchemaReference("Address", "common-address", 7))), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA");
    }

    @Test
    void aSchemaReferencingItselfThroughItsSubjectIsInvalidSchemaAndNothingIsRegistered() {
        api();
        String node = record("Node", "{\"name\":\"next\",\"type\":[\"null\",\"Node\"],\"default\":null}");
        long before = state().version();

        // Its first version names itself: version 1 of its own subject, which does not exist before it does.
        error(RegistryPaths.REGISTER, new Register("self-value", new SchemaDefinition(SchemaType.AVRO, node,
                List.of(new SchemaReference("Node", "self-value", 1))), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("self-value")
                        .contains("not registered"));
        assertThat(state().subject("self-value")).isEmpty();
        assertThat(state().version()).as("nothing written").isEqualTo(before);

        // With a version 1, version 2 naming version 2, itself.
        register("self-value", avro(ORDER_V1));
        error(RegistryPaths.REGISTER, new Register("self-value", new SchemaDefinition(SchemaType.AVRO, ORDER_V2,
                List.of(new SchemaReference("Order", "self-value", 2))), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA");
        assertThat(state().subject("self-value").orElseThrow().versions()).singleElement()
                .satisfies(version -> assertThat(version.version()).isEqualTo(1));
    }

    /**
     * The API cannot make a cycle (a reference names a version registered before, and a version others in use name
     * cannot be deleted), so this one is written into the store, as a restore of an older copy or a bug could leave
     * it: B references C, which references B. A registration whose references lead into it is INVALID_SCHEMA, said
     * to be a cycle, at once rather than resolving forever, and registers nothing.
     */
    @Test
    void referencesThatFormACycleAreInvalidSchemaAndNothingIsRegistered() {
        api();
        Registered b = register("cycle-b-value", avro(record("B", "{\"name\":\"x\",\"type\":\"int\"}")));
        register("cycle-c-value", new SchemaDefinition(SchemaType.AVRO,
                record("C", "{\"name\":\"b\",\"type\":\"B\"}"), List.of(new SchemaReference("B", "cycle-b-value", 1))));
        String stored = TestRedis.shared().commands().hget(RedisKeys.REGISTRY_SCHEMAS, Integer.toString(b.id()));
        assertThat(stored).contains("\"references\":[]");
        TestRedis.shared().commands().hset(RedisKeys.REGISTRY_SCHEMAS, Integer.toString(b.id()), stored.replace(
                "\"references\":[]", "\"references\":[{\"name\":\"C\",\"subject\":\"cycle-c-value\",\"version\":1}]"));
        long before = state().version();

        error(RegistryPaths.REGISTER, new Register("cycle-d-value", new SchemaDefinition(SchemaType.AVRO,
                record("D", "{\"name\":\"c\",\"type\":\"C\"}"), List.of(new SchemaReference("C", "cycle-c-value", 1))),
                false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA")
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("cycle"));
        error(RegistryPaths.REGISTER, new Register("cycle-c-value", new SchemaDefinition(SchemaType.AVRO,
                record("C", "{\"name\":\"b\",\"type\":\"B\"},{\"name\":\"y\",\"type\":\"int\",\"default\":0}"),
                List.of(new SchemaReference("B", "cycle-b-value", 1))), false, null, null))
                .jsonPath("$.error_code").isEqualTo("INVALID_SCHEMA");

        assertThat(state().subject("cycle-d-value")).isEmpty();
        assertThat(state().subject("cycle-c-value").orElseThrow().versions()).hasSize(1);
        assertThat(state().version()).as("nothing written").isEqualTo(before);
    }

    @Test
    void lookupFindsTheVersionOfTheSameSchemaAndChecksFollowTheSubjectsLevel() {
        api();
        register("lookup-value", avro(ORDER_V1));
        Registered v2 = register("lookup-value", avro(ORDER_V2));

        SubjectSchema found = post(RegistryPaths.LOOKUP, new Lookup("lookup-value", avro(ORDER_V2), false, false),
                SubjectSchema.class);
        assertThat(found.version()).isEqualTo(2);
        assertThat(found.id()).isEqualTo(v2.id());
        error(RegistryPaths.LOOKUP, new Lookup("lookup-value", avro(ORDER_NO_DEFAULT), false, false))
                .jsonPath("$.error_code").isEqualTo("SCHEMA_NOT_FOUND");
        error(RegistryPaths.LOOKUP, new Lookup("nobody-value", avro(ORDER_V1), false, false))
                .jsonPath("$.error_code").isEqualTo("SUBJECT_NOT_FOUND");

        CompatibilityReport backward = post(RegistryPaths.COMPATIBILITY, new CompatibilityCheck("lookup-value", null,
                avro(ORDER_STRING_ID), false), CompatibilityReport.class);
        assertThat(backward.compatible()).isFalse();
        assertThat(backward.messages()).isNotEmpty();
        post(RegistryPaths.CONFIG, new CompatibilityChange("lookup-value", CompatibilityLevel.NONE),
                CompatibilityChange.class);
        assertThat(post(RegistryPaths.COMPATIBILITY, new CompatibilityCheck("lookup-value", null,
                avro(ORDER_STRING_ID), false), CompatibilityReport.class).compatible()).isTrue();
        assertThat(post(RegistryPaths.CONFIG, new CompatibilityChange("lookup-value", null),
                CompatibilityChange.class).level()).isEqualTo(CompatibilityLevel.NONE);
        error(RegistryPaths.CONFIG, new CompatibilityChange("lookup-value", null))
                .jsonPath("$.error_code").isEqualTo("SUBJECT_COMPATIBILITY_NOT_CONFIGURED");
    }

    @Test
    void readOnlyRefusesChangesAndImportTakesTheIdItIsGivenIntoAnEmptySubject() {
        api();
        register("modes-value", avro(ORDER_V1));
        post(RegistryPaths.MODE, new ModeChange("modes-value", RegistryMode.READONLY, false), ModeChange.class);
        error(RegistryPaths.REGISTER, new Register("modes-value", avro(ORDER_V2), false, null, null))
                .jsonPath("$.error_code").isEqualTo("REGISTRY_OPERATION_NOT_PERMITTED");
        error(RegistryPaths.DELETE, new Delete("modes-value", 1, false))
                .jsonPath("$.error_code").isEqualTo("REGISTRY_OPERATION_NOT_PERMITTED");
        error(RegistryPaths.MODE, new ModeChange("modes-value", RegistryMode.IMPORT, false))
                .jsonPath("$.error_code").isEqualTo("REGISTRY_OPERATION_NOT_PERMITTED");

        post(RegistryPaths.MODE, new ModeChange("imported-value", RegistryMode.IMPORT, false), ModeChange.class);
        Registered imported = register("imported-value", new Register("imported-value", avro(record("Imported",
                "{\"name\":\"x\",\"type\":\"int\"}")), false, 5000, 3));
        assertThat(imported).isEqualTo(new Registered(5000, 3));
        error(RegistryPaths.REGISTER, new Register("imported-value", avro(ORDER_V1), false, 5000, 4))
                .jsonPath("$.error_code").isEqualTo("SCHEMA_ID_CONFLICT");
        post(RegistryPaths.MODE, new ModeChange("imported-value", null, false), ModeChange.class);
        assertThat(register("next-value", avro(record("After", "{\"name\":\"y\",\"type\":\"int\"}"))).id())
                .as("new ids start above an imported one").isGreaterThan(5000);
    }

    @Test
    void aDeposedCoordinatorsRegistrationWritesNothing() {
        api();
        List<String> scriptKeys = List.of("t:fence", "t:subjects", "t:schemas", "t:fingerprints", "t:next", "t:ver");
        TestRedis.shared().commands().set("t:fence", "7");

        Long answer = TestRedis.shared().commands().eval(script("registry-register.lua"),
                ScriptOutputType.INTEGER, scriptKeys.toArray(String[]::new),
                "6", "s-value", "", "fp", "{}", "", "1");

        assertThat(answer).isEqualTo(-1L);
        assertThat(TestRedis.shared().commands().exists("t:subjects", "t:schemas", "t:fingerprints", "t:next"))
                .isZero();
    }

    private static String script(String name) {
        try (InputStream in = SchemaRegistryTest.class.getResourceAsStream("/redis/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String record(String name, String fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + fields + "]}";
    }

    private static SchemaDefinition avro(String schema) {
        return new SchemaDefinition(SchemaType.AVRO, schema, List.of());
    }

    private Registered register(String subject, SchemaDefinition schema) {
        return register(subject, new Register(subject, schema, false, null, null));
    }

    private Registered register(String subject, Register request) {
        return post(RegistryPaths.REGISTER, request, Registered.class);
    }

    private Deleted delete(Delete request) {
        return post(RegistryPaths.DELETE, request, Deleted.class);
    }

    private SchemaDefinition schema(int id) {
        return web.get().uri(RegistryPaths.schema(id)).exchange().expectStatus().isOk()
                .expectBody(SchemaDefinition.class).returnResult().getResponseBody();
    }

    private RegistryState state() {
        return web.get().uri(RegistryPaths.STATE).exchange().expectStatus().isOk()
                .expectBody(RegistryState.class).returnResult().getResponseBody();
    }

    private <T> T post(String path, Object body, Class<T> answer) {
        return web.post().uri(path).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(answer).returnResult().getResponseBody();
    }

    private WebTestClient.BodyContentSpec error(String path, Object body) {
        return web.post().uri(path).bodyValue(body).exchange().expectStatus().is4xxClientError().expectBody();
    }
}
