package io.sluice.it;

import io.sluice.protocol.record.CompressionType;
import io.sluice.protocol.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Record batches whose record values are strings the tests can recognise on every replica. */
final class Batches {

    private Batches() {
    }

    /** One uncompressed batch with one record per value (no keys), timestamped now. */
    static ByteBuffer of(String... values) {
        return of(List.of(values));
    }

    static ByteBuffer of(List<String> values) {
        RecordBatchBuilder builder = RecordBatchBuilder.of(CompressionType.NONE);
        long now = System.currentTimeMillis();
        for (String value : values) {
            builder.append(now, null, value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }
}
