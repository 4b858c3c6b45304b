package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import io.sluice.protocol.Acks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A produce's parameters, for a JSON body and an NDJSON stream alike: {@code acks} (0, 1, all; default all),
 * {@code timeout_ms} (how long it may take, retries and acks=all included), the formats and the schemas
 * ({@link RecordWriting}).
 *
 * @param formatsAsSent the four format parameters as the request gave them (null when absent), then the schema
 *                      parameters when any is given, which an {@code Idempotency-Key}'s fingerprint covers: they
 *                      change what is written (a request without schema parameters keeps the fingerprint it had)
 */
record ProduceRequest(Acks acks, Duration timeout, RecordWriting writing, List<String> formatsAsSent) {

    static final Set<String> PARAMETERS = parameters();

    static ProduceRequest of(QueryParameters query, GatewayProperties.Produce settings) {
        String given = query.text("acks");
        Acks acks = Acks.parse(given == null ? "all" : given);
        Duration timeout = Duration.ofMillis(Bounds.check("timeout_ms", query.whole("timeout_ms"),
                settings.defaultTimeout().toMillis(), 0, settings.maxTimeout().toMillis()));
        List<String> formats = new ArrayList<>(Arrays.asList(query.text("format"), query.text("key_format"),
                query.text("value_format"), query.text("header_format")));
        List<String> schemas = RecordWriting.schemaParametersAsSent(query);
        if (schemas.stream().anyMatch(Objects::nonNull)) {
            formats.addAll(schemas);
        }
        return new ProduceRequest(acks, timeout, RecordWriting.of(query), Collections.unmodifiableList(formats));
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(Set.of("acks", "timeout_ms"));
        names.addAll(Formats.PARAMETERS);
        names.addAll(RecordWriting.PARAMETERS);
        return Set.copyOf(names);
    }
}
