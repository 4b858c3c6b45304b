package io.sluice.protocol.record;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A view over one encoded Kafka record batch, magic v2, the unit Sluice stores and ships. The layout, all integers
 * big-endian:
 *
 * <pre>
 *  offset  size  field
 *       0     8  baseOffset
 *       8     4  batchLength            bytes after this field (total size = batchLength + 12)
 *      12     4  partitionLeaderEpoch
 *      16     1  magic                  2
 *      17     4  crc                    CRC-32C of every byte from attributes to the end of the batch
 *      21     2  attributes             bits 0-2 compression, 3 timestamp type (1 = LogAppendTime),
 *                                       4 transactional, 5 control, 6 delete horizon set
 *      23     4  lastOffsetDelta
 *      27     8  baseTimestamp
 *      35     8  maxTimestamp
 *      43     8  producerId             -1 when not idempotent
 *      51     2  producerEpoch
 *      53     4  baseSequence
 *      57     4  recordCount
 *      61     …  records                compressed as a whole when the compression bits say so
 *
 *  record := length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint
 *            keyLength:varint key valueLength:varint value            (length -1 = null)
 *            headerCount:varint [headerKeyLength:varint headerKey headerValueLength:varint headerValue]*
 * </pre>
 *
 * <p>{@code baseOffset} and {@code partitionLeaderEpoch} sit outside the CRC, so a leader assigns them by writing
 * into the encoded bytes ({@link #setBaseOffset}, {@link #setPartitionLeaderEpoch}) without re-encoding or
 * re-checksumming anything.
 *
 * <p>A view is created by {@link #readFrom}, which checks only the fixed header's sanity (length, magic) so that
 * iteration is cheap; {@link #ensureValid()} checks the CRC, and {@link #records()} decodes and checks the records.
 * Every failure is a {@link CorruptRecordException}. A view is not thread-safe; the bytes it covers are shared with
 * the buffer it was read from.
 */
public final class RecordBatch {

    public static final byte MAGIC = 2;

    static final int BASE_OFFSET_OFFSET = 0;
    static final int LENGTH_OFFSET = 8;
    static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    static final int LAST_OFFSET_DELTA_OFFSET = 23;
    static final int BASE_TIMESTAMP_OFFSET = 27;
    static final int MAX_TIMESTAMP_OFFSET = 35;
    static final int PRODUCER_ID_OFFSET = 43;
    static final int PRODUCER_EPOCH_OFFSET = 51;
    static final int BASE_SEQUENCE_OFFSET = 53;
    static final int RECORDS_COUNT_OFFSET = 57;
    static final int RECORDS_OFFSET = 61;

    /** baseOffset + batchLength: the bytes that precede what batchLength counts. */
    public static final int LOG_OVERHEAD = 12;
    /** The fixed header: the smallest possible batch (no records). */
    public static final int HEADER_SIZE = RECORDS_OFFSET;

    public static final long NO_TIMESTAMP = -1L;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    static final int COMPRESSION_MASK = 0x07;
    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    static final int CONTROL_FLAG_MASK = 0x20;
    /** KIP-534: baseTimestamp holds the time after which the log cleaner may drop this batch's tombstones. */
    static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    private final ByteBuffer buffer;

    private RecordBatch(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * Reads the header of the batch that starts at {@code buffer}'s position and returns a view over exactly that
     * batch; the buffer's position is not moved.
     *
     * @throws CorruptRecordException if fewer bytes than the batch claims remain, the length is below the header
     *                                size, or the magic is not 2
     */
    public static RecordBatch readFrom(ByteBuffer buffer) {
        int start = buffer.position();
        int remaining = buffer.remaining();
        if (remaining < HEADER_SIZE) {
            throw new CorruptRecordException("Record batch at position " + start + " is truncated: " + remaining
                    + " bytes, less than the " + HEADER_SIZE + "-byte header");
        }
        int size = sizeAt(buffer, start);
        if (size > remaining) {
            throw new CorruptRecordException("Record batch at offset " + buffer.getLong(start) + " is truncated: "
                    + remaining + " of " + size + " bytes present");
        }
        ByteBuffer slice = buffer.slice(start, size).order(ByteOrder.BIG_ENDIAN);
        checkMagic(slice, start);
        return new RecordBatch(slice);
    }

    /**
     * The total size of the batch whose header starts at absolute {@code position}, from its length field.
     *
     * @throws CorruptRecordException if the length is smaller than a header
     */
    static int sizeAt(ByteBuffer buffer, int position) {
        return sizeAt(buffer, position, position);
    }

    /** As {@link #sizeAt(ByteBuffer, int)}, naming {@code reportedPosition} (e.g. a file position) on failure. */
    static int sizeAt(ByteBuffer buffer, int index, long reportedPosition) {
        int batchLength = buffer.getInt(index + LENGTH_OFFSET);
        if (batchLength < HEADER_SIZE - LOG_OVERHEAD || batchLength > Integer.MAX_VALUE - LOG_OVERHEAD) {
            throw new CorruptRecordException("Record batch at offset " + buffer.getLong(index + BASE_OFFSET_OFFSET)
                    + " (position " + reportedPosition + ") has an impossible length " + batchLength);
        }
        return batchLength + LOG_OVERHEAD;
    }

    static void checkMagic(ByteBuffer header, long position) {
        byte magic = header.get(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptRecordException("Record batch at offset " + header.getLong(BASE_OFFSET_OFFSET)
                    + " (position " + position + ") has magic " + magic + "; only magic 2 is supported");
        }
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch's last one, where the next batch starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int sizeInBytes() {
        return buffer.limit();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    /** The CRC stored in the batch (as an unsigned 32-bit value). */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    public int attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET) & 0xffff;
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & COMPRESSION_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    /**
     * The delete horizon a log cleaner stamped on this batch (KIP-534): once the clock passes it, the batch's
     * tombstones may be removed. Stored in the baseTimestamp field (record timestamps are deltas from it either way),
     * flagged by attribute bit 6; {@link #NO_TIMESTAMP} when not set.
     */
    public long deleteHorizonMs() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0 ? baseTimestamp() : NO_TIMESTAMP;
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    public int lastSequence() {
        int base = baseSequence();
        return base == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, lastOffsetDelta());
    }

    public int recordCount() {
        return buffer.getInt(RECORDS_COUNT_OFFSET);
    }

    /** The CRC computed over the bytes it covers (attributes to the end). */
    public long computeChecksum() {
        return checksumOf(buffer);
    }

    /** CRC-32C over attributes..end of the one batch that fills {@code batch} (position 0 to limit). */
    static long checksumOf(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        crc.update(batch.slice(ATTRIBUTES_OFFSET, batch.limit() - ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    public boolean isValid() {
        return checksum() == computeChecksum();
    }

    /**
     * Checks what can be checked without decoding records: the CRC and the header's internal consistency.
     *
     * @throws CorruptRecordException naming the base offset and the reason
     */
    public void ensureValid() {
        if (recordCount() < 0) {
            throw corrupt("has a negative record count " + recordCount());
        }
        if (lastOffsetDelta() < 0 || (recordCount() > 0 && lastOffsetDelta() < recordCount() - 1)) {
            throw corrupt("has lastOffsetDelta " + lastOffsetDelta() + " for " + recordCount() + " records");
        }
        if ((attributes() & COMPRESSION_MASK) > CompressionType.ZSTD.id()) {
            throw corrupt("has unknown compression type id " + (attributes() & COMPRESSION_MASK));
        }
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw corrupt("fails its CRC check: stored " + Long.toHexString(stored) + ", computed "
                    + Long.toHexString(computed));
        }
    }

    /** Sets the base offset in place; the CRC does not cover it. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Sets the partition leader epoch in place; the CRC does not cover it. */
    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Stamps the batch with the leader's append time: sets the timestamp type to LogAppendTime and maxTimestamp to
     * {@code timestamp}, then recomputes the CRC (both fields are covered by it). Readers then see every record with
     * this timestamp, as in Kafka.
     */
    public void setLogAppendTime(long timestamp) {
        buffer.putShort(ATTRIBUTES_OFFSET, (short) (attributes() | TIMESTAMP_TYPE_MASK));
        buffer.putLong(MAX_TIMESTAMP_OFFSET, timestamp);
        buffer.putInt(CRC_OFFSET, (int) computeChecksum());
    }

    /**
     * Sets the producer id, epoch and base sequence in place and recomputes the CRC (all three are covered by it): how
     * a gateway makes an already-encoded batch part of a producer session at the moment it sends it.
     */
    public void setProducer(long producerId, short producerEpoch, int baseSequence) {
        buffer.putLong(PRODUCER_ID_OFFSET, producerId);
        buffer.putShort(PRODUCER_EPOCH_OFFSET, producerEpoch);
        buffer.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        buffer.putInt(CRC_OFFSET, (int) computeChecksum());
    }

    /**
     * The producer id of the batch that starts at {@code batches}' position, read without decoding anything;
     * {@link #NO_PRODUCER_ID} when fewer bytes than a header remain.
     */
    public static long producerIdAt(ByteBuffer batches) {
        return batches.remaining() < HEADER_SIZE ? NO_PRODUCER_ID
                : batches.getLong(batches.position() + PRODUCER_ID_OFFSET);
    }

    /**
     * The producer epoch of the batch that starts at {@code batches}' position, read without decoding anything; -1
     * (no epoch) when fewer bytes than a header remain.
     */
    public static short producerEpochAt(ByteBuffer batches) {
        return batches.remaining() < HEADER_SIZE ? (short) -1
                : batches.getShort(batches.position() + PRODUCER_EPOCH_OFFSET);
    }

    /** The batch's bytes: a view sharing content with this batch, position 0, limit {@link #sizeInBytes()}. */
    public ByteBuffer buffer() {
        return buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * Decodes every record, decompressing when needed. Offsets and timestamps are absolute; in a LogAppendTime
     * batch every record carries the batch's maxTimestamp.
     *
     * @throws CorruptRecordException if the records do not decode to exactly {@link #recordCount()} records that
     *                                fill the batch
     */
    public List<Record> records() {
        CompressionType compression = compressionType();
        try {
            return Collections.unmodifiableList(decodeRecords(compression));
        } catch (CorruptRecordException e) {
            throw corrupt(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // Codec libraries report damaged frames with their own exception types, some unchecked (lz4-java throws a
            // bare RuntimeException for a bad frame descriptor); on these bytes all of them mean the same. The cause
            // is kept, so a genuine bug still shows in the stack trace.
            throw corrupt("has records that do not decode (" + compression.configName() + "): " + e, e);
        }
    }

    /** Decoding proper; failures carry only the reason, {@link #records()} adds which batch. */
    private List<Record> decodeRecords(CompressionType compression) throws IOException {
        int count = recordCount();
        if (count < 0) {
            throw malformed("has a negative record count " + count);
        }
        ByteBuffer section = buffer.slice(RECORDS_OFFSET, buffer.limit() - RECORDS_OFFSET);
        // Never trust the count for an allocation: a corrupt header could claim billions of records.
        List<Record> records = new ArrayList<>(Math.min(count, 1 + section.remaining() / 7));
        if (compression == CompressionType.NONE) {
            for (int i = 0; i < count; i++) {
                int length = Varints.readVarint(section);
                if (length < 0 || length > section.remaining()) {
                    throw malformed("has a record of length " + length + " with " + section.remaining() + " bytes left");
                }
                records.add(readRecord(section.slice(section.position(), length)));
                section.position(section.position() + length);
            }
            if (section.hasRemaining()) {
                throw malformed("has " + section.remaining() + " bytes after its " + count + " records");
            }
            return records;
        }
        try (InputStream in = compression.decompressing(new ByteBufferInputStream(section))) {
            for (int i = 0; i < count; i++) {
                int length = readVarint(in);
                if (length < 0) {
                    throw malformed("has a record with negative length " + length);
                }
                // readNBytes grows its buffer as data arrives, so an absurd length costs no more memory than the data.
                byte[] body = in.readNBytes(length);
                if (body.length < length) {
                    throw malformed("ends inside a record: " + body.length + " of " + length + " bytes");
                }
                records.add(readRecord(ByteBuffer.wrap(body)));
            }
            if (in.read() != -1) {
                throw malformed("has more compressed data after its " + count + " records");
            }
        }
        return records;
    }

    /** One record's fields, from a buffer that holds exactly the record after its length varint. */
    private Record readRecord(ByteBuffer in) {
        if (!in.hasRemaining()) {
            throw malformed("has an empty record");
        }
        in.get(); // record attributes: unused in v2
        long timestamp = baseTimestamp() + Varints.readVarlong(in);
        if (timestampType() == TimestampType.LOG_APPEND_TIME) {
            timestamp = maxTimestamp();
        }
        int offsetDelta = Varints.readVarint(in);
        byte[] key = readBytes(in, "key");
        byte[] value = readBytes(in, "value");
        int headerCount = Varints.readVarint(in);
        if (headerCount < 0) {
            throw malformed("has a record with negative header count " + headerCount);
        }
        List<Header> headers = headerCount == 0 ? List.of() : new ArrayList<>(Math.min(headerCount, in.remaining() / 2));
        for (int i = 0; i < headerCount; i++) {
            byte[] headerKey = readBytes(in, "header key");
            if (headerKey == null) {
                throw malformed("has a record header with a null key");
            }
            headers.add(new Header(decodeUtf8(headerKey), readBytes(in, "header value")));
        }
        if (in.hasRemaining()) {
            throw malformed("has a record with " + in.remaining() + " bytes beyond its fields");
        }
        int sequence = baseSequence() == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(baseSequence(), offsetDelta);
        return new Record(baseOffset() + offsetDelta, timestamp, sequence, key, value, headers);
    }

    private static byte[] readBytes(ByteBuffer in, String what) {
        int length = Varints.readVarint(in);
        if (length < 0) {
            return null;
        }
        if (length > in.remaining()) {
            throw malformed("has a record " + what + " of " + length + " bytes with " + in.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("has a record header key that is not UTF-8");
        }
    }

    private static int readVarint(InputStream in) throws IOException {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw malformed("ends before its declared record count");
            }
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw malformed("has a varint longer than 5 bytes");
    }

    private static CorruptRecordException malformed(String reason) {
        return new CorruptRecordException(reason);
    }

    static int incrementSequence(int sequence, int increment) {
        // Kafka's sequences wrap at Integer.MAX_VALUE back to 0.
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    private CorruptRecordException corrupt(String reason) {
        return new CorruptRecordException("Record batch at offset " + baseOffset() + " " + reason);
    }

    private CorruptRecordException corrupt(String reason, Throwable cause) {
        return new CorruptRecordException("Record batch at offset " + baseOffset() + " " + reason, cause);
    }

    @Override
    public String toString() {
        return "RecordBatch[offsets=" + baseOffset() + ".." + lastOffset() + ", size=" + sizeInBytes()
                + ", epoch=" + partitionLeaderEpoch() + ", records=" + recordCount()
                + ", compression=" + (attributes() & COMPRESSION_MASK) + "]";
    }
}
