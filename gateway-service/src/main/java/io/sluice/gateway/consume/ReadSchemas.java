package io.sluice.gateway.consume;

import io.sluice.gateway.format.Formats;
import io.sluice.gateway.format.KnownSchemas;
import io.sluice.gateway.registry.ParsedSchemas;
import java.nio.ByteBuffer;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The registered schemas fetched records need before they are rendered: the distinct schema ids of their wire-format
 * keys and values ({@link RecordRenderer#schemaIds}), looked up at the registry ({@link ParsedSchemas}, which keeps
 * them), so that rendering stays synchronous. A read that asks for no schema's format looks nothing up and waits for
 * nothing; an id that cannot be looked up is left out, and its values fall back.
 */
@Component
class ReadSchemas {

    private final ParsedSchemas schemas;

    ReadSchemas(ParsedSchemas schemas) {
        this.schemas = schemas;
    }

    /** The schemas of {@code records} at or after {@code from} that {@code formats} decode with. */
    Mono<KnownSchemas> of(ByteBuffer records, long from, Formats formats) {
        Set<Integer> ids = RecordRenderer.schemaIds(records, from, formats);
        if (ids.isEmpty()) {
            return Mono.just(KnownSchemas.NONE);
        }
        return schemas.known(ids).map(KnownSchemas::of);
    }
}
