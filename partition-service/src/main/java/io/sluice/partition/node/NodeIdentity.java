package io.sluice.partition.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The data directory's owner: {@code meta.properties} records the node id the directory belongs to. A node that
 * starts on a directory written by another node id refuses to run: serving another node's replicas under a
 * different identity would corrupt replication.
 */
final class NodeIdentity {

    static final String FILE_NAME = "meta.properties";

    private NodeIdentity() {
    }

    /** Records {@code nodeId} in a new directory, or checks that an existing one belongs to it. */
    static void claim(Path dataDir, int nodeId) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            Properties stored = new Properties();
            try (var in = Files.newBufferedReader(file)) {
                stored.load(in);
            }
            String storedId = stored.getProperty("node.id");
            if (!Integer.toString(nodeId).equals(storedId)) {
                throw new IllegalStateException("Data directory " + dataDir + " belongs to node " + storedId
                        + ", not node " + nodeId + "; use that node id or another directory");
            }
            return;
        }
        Path temp = dataDir.resolve(FILE_NAME + ".tmp");
        Files.writeString(temp, "# Written by Sluice: the node this data directory belongs to\nnode.id=" + nodeId + "\n");
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
