package io.sluice.internal.streams;

/** Where a Streams instance answers interactive queries ({@code application.server}). */
public record StreamsEndpoint(String host, int port) {
}
