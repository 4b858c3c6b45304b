package io.sluice.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondOwnerInTheSameProcessIsRefused() throws IOException {
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            assertThat(lock.directory()).isEqualTo(dir);
            assertThatThrownBy(() -> DirectoryLock.acquire(dir))
                    .isInstanceOf(LogDirectoryLockedException.class)
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void closingReleasesTheDirectory() throws IOException {
        DirectoryLock.acquire(dir).close();
        DirectoryLock.acquire(dir).close();
    }

    @Test
    void anotherProcessHoldingTheDirectoryIsRefusedAndNamed() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            var out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> DirectoryLock.acquire(dir))
                    .isInstanceOf(LogDirectoryLockedException.class)
                    .hasMessageContaining("process " + holder.pid());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // The kernel drops the lock with its dead owner: no stale lock to clean up by hand.
        DirectoryLock.acquire(dir).close();
    }

    /** Run in a child JVM: takes the lock, says so, and holds it until killed. */
    static final class LockHolder {
        public static void main(String[] args) throws Exception {
            DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }
}
