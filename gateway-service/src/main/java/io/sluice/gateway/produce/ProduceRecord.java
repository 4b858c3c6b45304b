package io.sluice.gateway.produce;

import io.sluice.protocol.record.Header;
import java.util.List;

/** A record to produce, serialized: target partition (null: choose), key and value bytes, headers, timestamp. */
record ProduceRecord(Integer partition, byte[] key, byte[] value, List<Header> headers, long timestamp) {
}
