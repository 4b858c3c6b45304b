package io.sluice.partition.fetch;

import io.sluice.log.FileRegion;
import java.nio.ByteBuffer;

/** One partition of a fetch response: its encoded header and the batches to send after it, straight from a segment. */
record FetchSection(String topic, ByteBuffer header, FileRegion records) {
}
