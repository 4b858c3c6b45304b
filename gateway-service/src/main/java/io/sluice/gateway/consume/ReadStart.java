package io.sluice.gateway.consume;

import io.sluice.gateway.web.QueryParameters;
import io.sluice.protocol.ErrorCode;
import java.util.Set;

/**
 * Where a read or a stream starts: a {@link StartPosition} ({@code offset} | {@code timestamp} | {@code last}), or a
 * {@link Cursor} to resume from ({@code cursor}, or a reconnecting browser's {@code Last-Event-ID}).
 *
 * @param resume null unless resuming from a cursor
 */
record ReadStart(StartPosition position, Cursor resume) {

    static final Set<String> PARAMETERS = Set.of("offset", "timestamp", "last", "cursor");

    /**
     * From {@code query} and, for streams, {@code lastEventId} (null otherwise), which wins over {@code cursor}: a
     * browser sets it on reconnecting, so it is always the newest. A cursor with a start position is refused: which
     * one was meant?
     */
    static ReadStart of(QueryParameters query, String lastEventId, int maxLast, StartPosition fallback) {
        String offset = query.text("offset");
        String timestamp = query.text("timestamp");
        Integer last = query.integer("last");
        String cursor = query.text("cursor");
        StartPosition position = StartPosition.of(offset, timestamp, last, maxLast, fallback);
        if (cursor != null && (offset != null || timestamp != null || last != null)) {
            throw ErrorCode.INVALID_REQUEST.exception("Give cursor or one of offset, timestamp and last, not both");
        }
        String text = lastEventId != null && !lastEventId.isBlank() ? lastEventId : cursor;
        return new ReadStart(position, text == null || text.isBlank() ? null : Cursor.decode(text));
    }
}
