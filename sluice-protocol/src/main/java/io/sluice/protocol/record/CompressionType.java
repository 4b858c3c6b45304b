package io.sluice.protocol.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Batch-level compression, as the low three attribute bits of a record batch, with the stream framing Kafka's
 * clients use for each codec so that compressed batches are readable by either side:
 * <ul>
 *   <li>gzip: RFC 1952 stream (JDK).</li>
 *   <li>snappy: snappy-java's block stream ({@code SnappyOutputStream}), not the Snappy framing format; read by
 *       {@link SnappyBlockInputStream}, which checks chunk lengths before allocating.</li>
 *   <li>lz4: the LZ4 frame format with independent 64 KiB blocks and no content checksum.</li>
 *   <li>zstd: a standard zstd frame (zstd-jni).</li>
 * </ul>
 * Only the records section is compressed; the 61-byte batch header never is.
 */
public enum CompressionType {

    NONE(0, "none") {
        @Override
        OutputStream compressing(OutputStream out) {
            return out;
        }

        @Override
        InputStream decompressing(InputStream in) {
            return in;
        }
    },
    GZIP(1, "gzip") {
        @Override
        OutputStream compressing(OutputStream out) throws IOException {
            return new BufferedOutputStream(new GZIPOutputStream(out, 8 * 1024), 16 * 1024);
        }

        @Override
        InputStream decompressing(InputStream in) throws IOException {
            return new BufferedInputStream(new GZIPInputStream(in, 8 * 1024), 16 * 1024);
        }
    },
    SNAPPY(2, "snappy") {
        @Override
        OutputStream compressing(OutputStream out) {
            return new SnappyOutputStream(out);
        }

        @Override
        InputStream decompressing(InputStream in) throws IOException {
            return new SnappyBlockInputStream(in);
        }
    },
    LZ4(3, "lz4") {
        @Override
        OutputStream compressing(OutputStream out) throws IOException {
            return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
        }

        @Override
        InputStream decompressing(InputStream in) throws IOException {
            return new LZ4FrameInputStream(in);
        }
    },
    ZSTD(4, "zstd") {
        @Override
        OutputStream compressing(OutputStream out) throws IOException {
            return new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, 3);
        }

        @Override
        InputStream decompressing(InputStream in) throws IOException {
            return new BufferedInputStream(new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE), 16 * 1024);
        }
    };

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The attribute value (bits 0-2 of a batch's attributes). */
    public int id() {
        return id;
    }

    /** The name used by Kafka's {@code compression.type} config. */
    public String configName() {
        return configName;
    }

    /** Wraps {@code out} so that bytes written to the result reach it compressed; closing the result finishes the frame. */
    abstract OutputStream compressing(OutputStream out) throws IOException;

    abstract InputStream decompressing(InputStream in) throws IOException;

    /** The type for an attribute id, or {@link CorruptRecordException} for ids 5-7, which no codec uses. */
    public static CompressionType forId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> GZIP;
            case 2 -> SNAPPY;
            case 3 -> LZ4;
            case 4 -> ZSTD;
            default -> throw new CorruptRecordException("Unknown compression type id " + id);
        };
    }

    public static CompressionType forConfigName(String name) {
        for (CompressionType type : values()) {
            if (type.configName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown compression type '" + name + "'; expected none, gzip, snappy, lz4 or zstd");
    }
}
