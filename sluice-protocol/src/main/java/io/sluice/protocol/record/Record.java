package io.sluice.protocol.record;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One decoded record: absolute offset and timestamp (already resolved against its batch), key and value (either
 * may be null), headers, and the producer sequence ({@code -1} when the batch has none). Compared by content.
 */
public record Record(long offset, long timestamp, int sequence, byte[] key, byte[] value, List<Header> headers) {

    public Record {
        headers = List.copyOf(headers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record other
                && offset == other.offset
                && timestamp == other.timestamp
                && sequence == other.sequence
                && Arrays.equals(key, other.key)
                && Arrays.equals(value, other.value)
                && headers.equals(other.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offset, timestamp, sequence, Arrays.hashCode(key), Arrays.hashCode(value), headers);
    }

    @Override
    public String toString() {
        return "Record[offset=" + offset + ", timestamp=" + timestamp
                + ", key=" + (key == null ? "null" : key.length + " bytes")
                + ", value=" + (value == null ? "null" : value.length + " bytes")
                + ", headers=" + headers.size() + "]";
    }
}
