package io.sluice.gateway.produce;

/** A record of an atomic produce, which names its topic. */
record TopicRecord(String topic, ProduceRecord record) {
}
