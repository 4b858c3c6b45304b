package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import java.util.HashSet;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * A read of the stored record batches as they are ({@value RawBatches#MEDIA_TYPE}): a page read's parameters less
 * those that cannot apply. Keys and values stay bytes, so no formats; batches are whole, so no {@code max_records};
 * control batches come as stored, so no {@code isolation_level} (the reader filters, as a Kafka consumer does).
 * {@code masked}: the reader's records are to be masked, which stored batches cannot be.
 */
record BatchRequest(ReadStart start, int maxBytes, long waitMs, boolean clamp, boolean masked) {

    static final Set<String> PARAMETERS = parameters();

    static BatchRequest of(QueryParameters query, HttpHeaders headers, GatewayProperties.Consume settings) {
        ReadLimits limits = ReadLimits.of(null, query.integer("max_bytes"), query.whole("wait_ms"), settings);
        ReadStart start = ReadStart.of(query, null, settings.maxMaxRecords(), StartPosition.EARLIEST);
        return new BatchRequest(start, limits.maxBytes(), limits.waitMs(), Boolean.TRUE.equals(query.bool("clamp")),
                Formats.maskAsked(headers));
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(ReadRequest.PARAMETERS);
        names.remove("max_records");
        names.remove(ReadRequest.ISOLATION_LEVEL);
        names.removeAll(Formats.PARAMETERS);
        return Set.copyOf(names);
    }
}
