package io.sluice.log;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A run of whole record batches in a segment file: what a read returns so the caller can send it with zero copy
 * ({@code FileChannel.transferTo}, sendfile) or, failing that, load it.
 *
 * <p>The channel belongs to the log; callers never close it. A region stays readable at least until
 * {@link LogConfig#fileDeleteDelayMs()} after its segment is deleted by retention or truncation; a follower
 * truncation of the very bytes a region covers can make a late transfer see other data, which is why callers send
 * a region promptly after the read.
 */
public record FileRegion(FileChannel channel, long position, int length) {

    private static final FileRegion EMPTY = new FileRegion(null, 0, 0);

    public FileRegion {
        if (length < 0 || position < 0) {
            throw new IllegalArgumentException("bad region: position " + position + ", length " + length);
        }
        if (channel == null && length > 0) {
            throw new IllegalArgumentException("a non-empty region needs a channel");
        }
    }

    public static FileRegion empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** Sends the whole region to {@code target} (zero copy where the platform allows); returns the bytes sent. */
    public long transferTo(WritableByteChannel target) throws IOException {
        long sent = 0;
        while (sent < length) {
            long n = channel.transferTo(position + sent, length - sent, target);
            if (n <= 0) {
                throw new EOFException("segment file ended " + (length - sent) + " bytes before the region's end");
            }
            sent += n;
        }
        return sent;
    }

    /** Copies the region into a new heap buffer (position 0, limit {@code length}), for callers that must decode. */
    public ByteBuffer load() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new EOFException("segment file ended " + buffer.remaining() + " bytes before the region's end");
            }
        }
        return buffer.flip();
    }
}
