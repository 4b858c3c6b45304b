package io.sluice.log;

/** The first offset written in a leader epoch. */
public record EpochEntry(int epoch, long startOffset) {
}
