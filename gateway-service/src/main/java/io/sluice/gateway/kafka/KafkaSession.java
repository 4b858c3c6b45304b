package io.sluice.gateway.kafka;

import java.net.SocketAddress;

/**
 * One client connection to the Kafka listener.
 *
 * @param id     for log lines: a number unique in this gateway's life
 * @param remote the client's address
 */
record KafkaSession(long id, SocketAddress remote) {

    @Override
    public String toString() {
        return "Kafka connection #" + id + " from " + remote;
    }
}
