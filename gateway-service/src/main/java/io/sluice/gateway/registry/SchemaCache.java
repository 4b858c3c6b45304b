package io.sluice.gateway.registry;

import io.sluice.internal.registry.SchemaDefinition;
import io.sluice.internal.registry.SchemaRegistryApi;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Registered schemas by id, as the coordinator answers them, kept here: an id always names the same schema (the
 * registry never gives an id twice nor changes its schema), so a kept one is never stale. Bounded to the
 * {@value #CAPACITY} most recently used. Thread-safe.
 */
@Component
class SchemaCache {

    static final int CAPACITY = 10_000;

    private final SchemaRegistryApi registry;
    private final Map<Integer, SchemaDefinition> kept = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, SchemaDefinition> eldest) {
            return size() > CAPACITY;
        }
    };

    SchemaCache(SchemaRegistryApi registry) {
        this.registry = registry;
    }

    /** Schema {@code id}; SCHEMA_NOT_FOUND when no schema has it. */
    Mono<SchemaDefinition> schema(int id) {
        SchemaDefinition known;
        synchronized (kept) {
            known = kept.get(id);
        }
        if (known != null) {
            return Mono.just(known);
        }
        return registry.schema(id).doOnNext(schema -> {
            synchronized (kept) {
                kept.put(id, schema);
            }
        });
    }
}
