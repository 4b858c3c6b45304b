package io.sluice.partition.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path dir;

    @Test
    void aNewDirectoryIsClaimedForTheNode() throws IOException {
        NodeIdentity.claim(dir.resolve("data"), 2);

        assertThat(Files.readString(dir.resolve("data").resolve(NodeIdentity.FILE_NAME))).contains("node.id=2");
    }

    @Test
    void theSameNodeMayOpenItsDirectoryAgain() throws IOException {
        NodeIdentity.claim(dir, 2);
        NodeIdentity.claim(dir, 2);
    }

    @Test
    void anotherNodeIdIsRefusedAndTheDirectoryKeepsItsOwner() throws IOException {
        NodeIdentity.claim(dir, 2);

        assertThatThrownBy(() -> NodeIdentity.claim(dir, 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to node 2, not node 3");
        assertThat(Files.readString(dir.resolve(NodeIdentity.FILE_NAME))).contains("node.id=2");
    }
}
