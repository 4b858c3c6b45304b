package io.sluice.log;

import java.io.IOException;
import java.nio.file.Path;

/** The data directory is already in use: two processes on one directory would corrupt each other's logs. */
public class LogDirectoryLockedException extends IOException {

    public LogDirectoryLockedException(Path dir, String holder) {
        super("Data directory " + dir + " is locked by " + holder + "; only one partition service may use it");
    }
}
