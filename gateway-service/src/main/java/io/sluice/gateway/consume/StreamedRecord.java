package io.sluice.gateway.consume;

/**
 * A record as SSE streams (a topic's, a group member's) send it: where it is, for the stream's cursor, and its JSON
 * text, the event's data, which the SSE writer sends as it is. The text is written once per fetched chunk and formats
 * ({@link FetchedChunk}), not once per subscriber: with a thousand subscribers on a partition, serializing every
 * record for each of them was the gateway's largest cost after the socket writes.
 */
public record StreamedRecord(String topic, int partition, long offset, String json) {
}
