package io.sluice.gateway.share;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;
import io.sluice.gateway.format.Formats;
import io.sluice.gateway.web.QueryParameters;
import io.sluice.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * A share-group stream's query parameters: {@code topic}, its {@code partitions} (comma-separated; all when absent),
 * {@code member_id} (a new one when absent), {@code max_in_flight} (records the stream holds at most; default
 * {@link ShareRequests#DEFAULT_MAX_RECORDS}, at most the gateway's {@code consume.max-max-records}) and the formats.
 */
record ShareStreamRequest(String topic, List<Integer> partitions, String memberId, Integer maxInFlight,
                          Formats formats) {

    static final Set<String> PARAMETERS = parameters();

    static ShareStreamRequest of(QueryParameters query, HttpHeaders headers) {
        String topic = query.text("topic");
        if (topic == null || topic.isBlank()) {
            throw ErrorCode.INVALID_REQUEST.exception("A share-group stream needs a topic");
        }
        return new ShareStreamRequest(topic, partitions(query.text("partitions")),
                ShareRequests.checkedMemberId(query.text("member_id"), true), query.integer("max_in_flight"),
                Formats.of(query, headers));
    }

    int checkedMaxInFlight(GatewayProperties.Consume settings) {
        return Bounds.check("max_in_flight", maxInFlight, ShareRequests.DEFAULT_MAX_RECORDS, 1,
                settings.maxMaxRecords());
    }

    /** Null when absent (all of the topic's); an empty list, which is refused, when given empty. */
    private static List<Integer> partitions(String given) {
        if (given == null) {
            return null;
        }
        List<Integer> partitions = new ArrayList<>();
        for (String part : given.split(",", -1)) {
            String trimmed = part.strip();
            if (trimmed.isEmpty() && given.isBlank()) {
                continue;
            }
            try {
                partitions.add(Integer.parseInt(trimmed));
            } catch (NumberFormatException e) {
                throw ErrorCode.INVALID_REQUEST.exception("partitions must be comma-separated partition numbers, was '"
                        + given + "'");
            }
        }
        return partitions;
    }

    private static Set<String> parameters() {
        Set<String> names = new HashSet<>(Set.of("topic", "partitions", "member_id", "max_in_flight"));
        names.addAll(Formats.PARAMETERS);
        return Set.copyOf(names);
    }
}
