package io.sluice.internal.quota;

import io.sluice.protocol.ErrorCode;
import java.util.Arrays;

/**
 * What a client quota limits, by the names Kafka's {@code kafka-configs} uses: bytes produced per second and bytes
 * fetched per second, Kafka's own keys, and requests per second, Sluice's (Kafka's {@code request_percentage}, a share
 * of the broker's threads' time, has no meaning in a broker whose requests share event loops).
 */
public enum QuotaKey {

    PRODUCER_BYTE_RATE("producer_byte_rate"),
    CONSUMER_BYTE_RATE("consumer_byte_rate"),
    REQUEST_RATE("request_rate");

    private final String configName;

    QuotaKey(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The key of {@code name}, or INVALID_REQUEST naming the keys there are. */
    public static QuotaKey named(String name) {
        return Arrays.stream(values()).filter(key -> key.configName.equals(name)).findFirst()
                .orElseThrow(() -> ErrorCode.INVALID_REQUEST.exception("Unknown quota key '" + name
                        + "': Sluice's client quotas are producer_byte_rate, consumer_byte_rate (bytes per second)"
                        + " and request_rate (requests per second)"));
    }

    /** Refuses, as INVALID_REQUEST, a rate that is not a positive number. */
    public double validated(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw ErrorCode.INVALID_REQUEST.exception(configName + " must be a positive number, not " + rate);
        }
        return rate;
    }
}
