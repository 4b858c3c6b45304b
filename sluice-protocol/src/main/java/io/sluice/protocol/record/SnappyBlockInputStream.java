package io.sluice.protocol.record;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import org.xerial.snappy.Snappy;

/**
 * Reads snappy-java's stream format, the one {@code SnappyOutputStream} writes and Kafka uses for snappy batches: a
 * 16-byte header (magic {@code 0x82 "SNAPPY" 0x00}, version, compatible version), then chunks, each a big-endian
 * int32 length and one raw snappy block. A header repeated between chunks (concatenated streams) is skipped.
 *
 * <p>Why not snappy-java's own {@code SnappyInputStream}: it allocates whatever a chunk claims before reading it (up
 * to 512 MiB for the chunk, up to 2 GiB for the block's uncompressed size) and reports some damage as
 * {@code SnappyError}, {@code NegativeArraySizeException} or {@code OutOfMemoryError}. Here every length is checked
 * against the bytes actually present before anything is allocated, and all damage is an {@link IOException}, which
 * {@link RecordBatch#records()} reports as corruption. Not thread-safe.
 */
final class SnappyBlockInputStream extends InputStream {

    private static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int HEADER_SIZE = MAGIC.length + 8;
    /** A snappy block expands at most about 21 times (a 3-byte copy emits 64 bytes); a larger claim is a lie. */
    private static final int MAX_EXPANSION = 32;

    private final InputStream in;
    private byte[] block = new byte[0];
    private int position;
    private int limit;

    SnappyBlockInputStream(InputStream in) throws IOException {
        this.in = in;
        readHeaderAfter(0);
    }

    @Override
    public int read() throws IOException {
        if (!hasData()) {
            return -1;
        }
        return block[position++] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!hasData()) {
            return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(block, position, bytes, offset, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Decodes chunks until one has data; false at the end of the stream. */
    private boolean hasData() throws IOException {
        while (position == limit) {
            byte[] lengthField = in.readNBytes(4);
            if (lengthField.length == 0) {
                return false;
            }
            if (lengthField.length < 4) {
                throw new IOException("snappy stream ends inside a chunk length");
            }
            if (Arrays.equals(lengthField, 0, 4, MAGIC, 0, 4)) {
                readHeaderAfter(4);
                continue;
            }
            int length = ((lengthField[0] & 0xff) << 24) | ((lengthField[1] & 0xff) << 16)
                    | ((lengthField[2] & 0xff) << 8) | (lengthField[3] & 0xff);
            if (length <= 0) {
                throw new IOException("snappy chunk with length " + length);
            }
            // readNBytes grows its buffer as data arrives, so a lying length costs no more memory than the data.
            byte[] compressed = in.readNBytes(length);
            if (compressed.length < length) {
                throw new IOException("snappy stream ends inside a chunk: " + compressed.length + " of " + length + " bytes");
            }
            int uncompressed = Snappy.uncompressedLength(compressed, 0, length);
            if (uncompressed < 0 || uncompressed > (long) MAX_EXPANSION * length) {
                throw new IOException("snappy block of " + length + " bytes claims " + Integer.toUnsignedString(uncompressed)
                        + " uncompressed bytes");
            }
            if (block.length < uncompressed) {
                block = new byte[uncompressed];
            }
            int decoded = Snappy.uncompress(compressed, 0, length, block, 0);
            if (decoded != uncompressed) {
                throw new IOException("snappy block decoded to " + decoded + " bytes, not the " + uncompressed + " it claims");
            }
            position = 0;
            limit = decoded;
        }
        return true;
    }

    /** Reads the rest of a stream header of which {@code alreadyRead} magic bytes were consumed, and checks its magic. */
    private void readHeaderAfter(int alreadyRead) throws IOException {
        byte[] rest = in.readNBytes(HEADER_SIZE - alreadyRead);
        if (rest.length < HEADER_SIZE - alreadyRead
                || !Arrays.equals(rest, 0, MAGIC.length - alreadyRead, MAGIC, alreadyRead, MAGIC.length)) {
            throw new IOException("not a snappy-java stream: its header is missing or damaged");
        }
    }
}
