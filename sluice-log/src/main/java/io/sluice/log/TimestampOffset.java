package io.sluice.log;

/**
 * A timestamp paired with an offset: a time index entry (every record with a larger timestamp lies at a larger
 * offset) or the answer to an offset-for-timestamp lookup (the earliest record whose timestamp is at least the one
 * asked for).
 */
public record TimestampOffset(long timestamp, long offset) {
}
