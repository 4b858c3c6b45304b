package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import java.util.HashSet;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * A page read's parameters (JSON or NDJSON), checked together before anything is looked up, so a malformed read is a
 * 400 whatever the topic: where to start, how much to answer and how long to wait ({@link ReadLimits}), whether to
 * clamp an offset outside the log ({@code clamp}), whether to read committed transactions only
 * ({@code isolation_level}: {@code read_uncommitted}, the default as for Kafka's consumers, or {@code read_committed}:
 * below the last stable offset, without aborted transactions' records), and the formats. Pages start at the earliest
 * offset unless told otherwise.
 */
record ReadRequest(ReadStart start, ReadLimits limits, boolean clamp, boolean readCommitted, Formats formats) {

    static final String ISOLATION_LEVEL = IsolationLevel.PARAMETER;
    static final Set<String> PARAMETERS = parameters();

    static ReadRequest of(QueryParameters query, HttpHeaders headers, GatewayProperties.Consume settings) {
        ReadLimits limits = ReadLimits.of(query.integer("max_records"), query.integer("max_bytes"),
                query.whole("wait_ms"), settings);
        ReadStart start = ReadStart.of(query, null, settings.maxMaxRecords(), StartPosition.EARLIEST);
        return new ReadRequest(start, limits, Boolean.TRUE.equals(query.bool("clamp")),
                IsolationLevel.readCommitted(query.text(ISOLATION_LEVEL)), Formats.of(query, headers));
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(ReadStart.PARAMETERS);
        names.addAll(Set.of("max_records", "max_bytes", "wait_ms", "clamp", ISOLATION_LEVEL));
        names.addAll(Formats.PARAMETERS);
        return Set.copyOf(names);
    }
}
