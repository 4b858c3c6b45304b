package io.sluice.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The host a Kafka listener tells clients to connect to, as every listener picks it. */
public final class Advertised {

    private Advertised() {
    }

    /**
     * {@code advertised} when given, else the bound {@code host}, or 127.0.0.1 when that is a wildcard address (0.0.0.0
     * is no address a client can connect to).
     */
    public static String host(String advertised, String host) {
        if (advertised != null && !advertised.isBlank()) {
            return advertised;
        }
        try {
            return InetAddress.getByName(host).isAnyLocalAddress() ? "127.0.0.1" : host;
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
