package io.sluice.partition.tiered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.partition.PartitionProperties;
import io.sluice.testing.S3Server;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The S3 object store against a real S3-compatible server (s3proxy, as a process), stopped and started again. */
class S3ObjectStoreTest {

    @TempDir
    static Path serverDir;
    @TempDir
    Path dir;

    private static S3Server server;
    private static S3ObjectStore store;

    @BeforeAll
    static void start() throws IOException {
        server = S3Server.start(serverDir);
        Files.createDirectories(server.bucketDirectory("tiered"));
        store = S3ObjectStore.create(settings(server, "cluster-a"));
    }

    @AfterAll
    static void stop() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static PartitionProperties.RemoteStorage settings(S3Server server, String prefix) {
        return new PartitionProperties.RemoteStorage(true, server.endpoint(), "us-east-1", "tiered", prefix,
                S3Server.ACCESS_KEY, S3Server.SECRET_KEY, true, Duration.ofSeconds(1), DataSize.ofMegabytes(64),
                Duration.ofSeconds(10));
    }

    @Test
    void objectsAreWrittenReadListedAndDeletedUnderTheClustersPrefix() throws IOException {
        Path file = Files.write(dir.resolve("segment.log"), new byte[300_000]);
        store.put("t-0/00000000000000000000.log", file);
        store.put("t-0/00000000000000000000.aborted", "[]".getBytes(StandardCharsets.UTF_8));
        store.put("t-1/00000000000000000000.log", "x".getBytes(StandardCharsets.UTF_8));

        assertThat(store.list("t-0/")).containsExactly("t-0/00000000000000000000.aborted",
                "t-0/00000000000000000000.log");
        Path copy = dir.resolve("copy.log");
        assertThat(store.get("t-0/00000000000000000000.log", copy)).isTrue();
        assertThat(Files.mismatch(file, copy)).isEqualTo(-1);
        assertThat(Files.exists(server.bucketDirectory("tiered").resolve("cluster-a"))).isTrue();

        // Another cluster's prefix sees none of it.
        try (S3ObjectStore other = S3ObjectStore.create(settings(server, "cluster-b"))) {
            assertThat(other.list("")).isEmpty();
        }

        store.delete(List.of("t-0/00000000000000000000.log", "t-0/00000000000000000000.aborted", "t-0/missing"));
        assertThat(store.list("t-0/")).isEmpty();
        assertThat(store.get("t-0/00000000000000000000.log", dir.resolve("gone.log"))).isFalse();
        assertThat(dir.resolve("gone.log")).doesNotExist();
        assertThat(store.list("")).containsExactly("t-1/00000000000000000000.log");
    }

    @Test
    void aStoreThatIsDownFailsEachCallAndServesAgainOnceBack() throws IOException {
        store.put("down/before", "1".getBytes(StandardCharsets.UTF_8));
        server.kill();
        try {
            assertThatThrownBy(() -> store.put("down/during", "2".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> store.get("down/before", dir.resolve("before"))).isInstanceOf(IOException.class);
            assertThat(dir.resolve("before")).doesNotExist();
        } finally {
            server.restart();
        }
        assertThat(store.get("down/before", dir.resolve("before"))).isTrue();
        assertThat(store.list("down/")).containsExactly("down/before");
    }
}
