package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.format.Bounds;

/**
 * How much one read answers and how long it waits, for a page read and a group member's poll alike: at most
 * {@code maxRecords} records and about {@code maxBytes} bytes per partition, waiting up to {@code waitMs} for a first
 * record. Each is checked against the gateway's bounds, a value outside them refused naming its range.
 */
public record ReadLimits(int maxRecords, int maxBytes, long waitMs) {

    /** The most bytes one read may fetch per partition (max_bytes). */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    /** From the request's values (any may be null: the gateway's default). */
    public static ReadLimits of(Integer maxRecords, Integer maxBytes, Long waitMs, GatewayProperties.Consume settings) {
        return new ReadLimits(
                Bounds.check("max_records", maxRecords, settings.defaultMaxRecords(), 1, settings.maxMaxRecords()),
                Bounds.check("max_bytes", maxBytes, (int) settings.defaultMaxBytes().toBytes(), 1, MAX_BYTES),
                Bounds.check("wait_ms", waitMs, 0, 0, settings.maxWait().toMillis()));
    }
}
