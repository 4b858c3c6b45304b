package io.sluice.log;

/** An index file failed its sanity check on open; the loader answers by rebuilding it from the segment. */
final class CorruptIndexException extends RuntimeException {

    CorruptIndexException(String message) {
        super(message);
    }
}
