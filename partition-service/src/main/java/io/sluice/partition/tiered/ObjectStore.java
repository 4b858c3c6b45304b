package io.sluice.partition.tiered;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Object storage as tiered storage uses it: whole objects written once under a key, read back whole, listed by
 * prefix and deleted. Every call blocks (it is made on tiered storage's own threads, never on an event loop) and
 * fails with an {@link IOException} when the store cannot be reached or refuses; a call that failed may be made
 * again.
 */
interface ObjectStore extends AutoCloseable {

    /** Writes {@code file}'s bytes as the object {@code key}, replacing any object there. */
    void put(String key, Path file) throws IOException;

    /** Writes {@code bytes} as the object {@code key}, replacing any object there. */
    void put(String key, byte[] bytes) throws IOException;

    /**
     * Writes the object {@code key} into {@code target} (replaced); false, with nothing written, when there is no
     * such object.
     */
    boolean get(String key, Path target) throws IOException;

    /** The keys that start with {@code prefix}, in key order. */
    List<String> list(String prefix) throws IOException;

    /**
     * The "directories" directly under {@code prefix}: each distinct start of a key under it up to and including the
     * next '/', in key order (S3's common prefixes).
     */
    List<String> listDirectories(String prefix) throws IOException;

    /** Deletes the objects; a key with no object is no error. */
    void delete(List<String> keys) throws IOException;

    @Override
    void close();
}
