package io.sluice.internal.broker;

/** A gateway's Kafka listener as Kafka clients reach it: the broker id it answers as, and its advertised address. */
public record BrokerEndpoint(int brokerId, String host, int port) {
}
