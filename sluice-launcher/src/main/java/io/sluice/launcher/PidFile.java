package io.sluice.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;

/**
 * {@code <base>/run/<service>.pid}: the PID of a service process as decimal text and a newline, written when the
 * process has been started (temp file then rename, so a reader never sees half a number) and deleted when it is
 * stopped. A PID read back is only a claim: {@link LaunchCommand#isLaunchOf} decides whether it is still ours.
 */
record PidFile(Path path) {

    static final String SUFFIX = ".pid";

    static PidFile of(Path runDir, String service) {
        return new PidFile(runDir.resolve(service + SUFFIX));
    }

    /** The service name this file is for. */
    String service() {
        String file = path.getFileName().toString();
        return file.substring(0, file.length() - SUFFIX.length());
    }

    /** The PID, or empty when the file is absent or does not hold a positive number. */
    OptionalLong read() {
        try {
            String text = Files.readString(path).trim();
            long pid = Long.parseLong(text);
            return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (NumberFormatException | IOException e) {
            return OptionalLong.empty();
        }
    }

    boolean exists() {
        return Files.exists(path);
    }

    void write(long pid) {
        try {
            Files.createDirectories(path.getParent());
            Path temp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(temp, pid + "\n");
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write pid file " + path, e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete pid file " + path, e);
        }
    }
}
