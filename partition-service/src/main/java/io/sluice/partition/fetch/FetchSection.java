package io.sluice.partition.fetch;

import io.sluice.log.FileRegion;
import java.nio.ByteBuffer;

/**
 * One partition of a fetch response: its encoded header and the batches to send after it, straight from a segment, and
 * how many offsets they take the reader forward.
 */
record FetchSection(String topic, ByteBuffer header, FileRegion records, long offsetsRead) {
}
