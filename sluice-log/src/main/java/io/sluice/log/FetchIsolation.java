package io.sluice.log;

/** How far a read may see: followers read to the log end, consumers only below the high watermark. */
public enum FetchIsolation {
    LOG_END,
    HIGH_WATERMARK
}
