package io.sluice.internal.producer;

import java.util.List;

/**
 * A gateway's claim of an Idempotency-Key for one produce request.
 *
 * @param key         the header's value
 * @param fingerprint SHA-256 (hex) of what the request writes: topic, formats, body
 * @param token       this attempt's random token; only its holder releases the key
 * @param assignment  the partition of each record, as this gateway would send them: stored with a new key, so a
 *                    retry (through any gateway) re-sends every record to the same partition
 * @param retentionMs how long the key is kept ({@code produce.idempotency.key-retention})
 * @param lockMs      how long the attempt may hold the key before another may take it (its timeout and a margin)
 */
public record IdempotencyClaimRequest(String key, String fingerprint, String token, List<Integer> assignment,
                                      long retentionMs, long lockMs) {
}
