package io.sluice.internal.classic;

/** One protocol a classic group member supports (an assignor, for consumers), with its opaque metadata. */
public record ClassicProtocol(String name, byte[] metadata) {
}
