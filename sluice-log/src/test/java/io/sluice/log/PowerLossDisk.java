package io.sluice.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Segment files on a disk that can lose power: what a segment's channel wrote or truncated since its last
 * {@code force} is not durable, and {@link #powerLoss} puts every such file back to its content at that force (empty
 * if it was never forced) — appends vanish and truncations are undone, as on a real disk whose page cache is lost.
 * Files written with their own fsync (checkpoints, the epoch cache) are not touched: they are durable already.
 */
public final class PowerLossDisk implements LogChannelFactory {

    /** Each segment file's content as of its last force. */
    private final Map<Path, byte[]> durable = new ConcurrentHashMap<>();

    @Override
    public FileChannel open(Path file) throws IOException {
        FileChannel channel = LogChannelFactory.DEFAULT.open(file);
        durable.putIfAbsent(file, channel.size() == 0 ? new byte[0] : Files.readAllBytes(file));
        return new ForwardingFileChannel(channel) {
            @Override
            public void force(boolean metaData) throws IOException {
                delegate.force(metaData);
                ByteBuffer content = ByteBuffer.allocate(Math.toIntExact(delegate.size()));
                while (content.hasRemaining()) {
                    if (delegate.read(content, content.position()) < 0) {
                        break;
                    }
                }
                durable.put(file, content.array());
            }
        };
    }

    /** The crash: every segment file still present goes back to its durable content. */
    public void powerLoss() throws IOException {
        for (Map.Entry<Path, byte[]> entry : durable.entrySet()) {
            if (Files.exists(entry.getKey())) {
                Files.write(entry.getKey(), entry.getValue());
            }
        }
    }

    /**
     * Copies the tree {@code from} to {@code to} as a power loss leaves it: segment files at their content as of
     * their last force, everything else as it is. The original is left alone — a crashed process may still hold its
     * files open — so a simulation can start the next incarnation of a node on the copy.
     */
    public void copyAfterPowerLoss(Path from, Path to) throws IOException {
        copyTree(from, to);
        for (Map.Entry<Path, byte[]> entry : durable.entrySet()) {
            if (entry.getKey().startsWith(from) && Files.exists(entry.getKey())) {
                Files.write(to.resolve(from.relativize(entry.getKey())), entry.getValue());
            }
        }
    }

    /** Copies the tree {@code from} to {@code to} as it is now: what a crash that spares the page cache leaves. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source));
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
                    Files.copy(source, target);
                }
            }
        }
    }
}
