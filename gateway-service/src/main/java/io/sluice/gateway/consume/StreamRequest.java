package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import java.util.HashSet;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * An endless stream's parameters: where to start (a live tail unless told otherwise, since a stream that replays a
 * whole topic first is rarely what someone opening one wants; a reconnecting browser's {@code Last-Event-ID} resumes
 * right after its last event), the isolation level (as a page's, {@link ReadRequest}) and the formats. A stream has no
 * page, so no limits.
 */
record StreamRequest(ReadStart start, boolean readCommitted, Formats formats) {

    static final Set<String> PARAMETERS = parameters();

    static StreamRequest of(QueryParameters query, HttpHeaders headers, GatewayProperties.Consume settings) {
        ReadStart start = ReadStart.of(query, headers.getFirst("Last-Event-ID"), settings.maxMaxRecords(),
                StartPosition.LATEST);
        return new StreamRequest(start, IsolationLevel.readCommitted(query.text(IsolationLevel.PARAMETER)),
                Formats.of(query, headers));
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(ReadStart.PARAMETERS);
        names.add(IsolationLevel.PARAMETER);
        names.addAll(Formats.PARAMETERS);
        return Set.copyOf(names);
    }
}
