package io.sluice.log;

/**
 * How far a read may see: followers read to the log end, consumers only below the high watermark, and
 * read_committed consumers only below the last stable offset (no record of a transaction still open, or closed by a
 * marker not yet below the high watermark).
 */
public enum FetchIsolation {
    LOG_END,
    HIGH_WATERMARK,
    TXN_COMMITTED
}
