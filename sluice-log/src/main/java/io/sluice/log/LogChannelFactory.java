package io.sluice.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the channel of a segment's log file. The one seam through which tests inject I/O failures (a channel that
 * throws after N bytes, as a full disk does) and power losses (a disk that forgets what was not forced); everything
 * else the log touches stays a real file. Production code uses {@link #DEFAULT}.
 */
@FunctionalInterface
public interface LogChannelFactory {

    LogChannelFactory DEFAULT = file -> FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);

    /** A channel for reading and positioned writing, creating the file if missing. */
    FileChannel open(Path file) throws IOException;
}
