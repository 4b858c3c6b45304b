package io.sluice.protocol.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A record header: a non-null UTF-8 key and a value that may be null. Compared by content. */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "header key");
    }

    public static Header of(String key, String value) {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header other && key.equals(other.key) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header[" + key + "=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
