package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file exists but does not parse; the message names the file and what is wrong. */
public class CorruptCheckpointException extends IOException {

    public CorruptCheckpointException(Path file, String reason) {
        super("Checkpoint file " + file + " is corrupt: " + reason);
    }
}
