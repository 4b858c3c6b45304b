package io.sluice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for the servers tests start as processes of their own. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A free loopback port below the ephemeral range, so that while a server is down for a restart no outgoing
     * connection takes its port.
     */
    static int belowEphemeral() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (IOException e) {
                // taken; draw again
            }
        }
        throw new IllegalStateException("No free loopback port found in 20000..31999");
    }
}
