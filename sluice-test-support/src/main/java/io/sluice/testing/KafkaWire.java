package io.sluice.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Kafka request, built by kafka-clients, sent to a Kafka listener (a gateway's or a partition service's) on a
 * connection of its own, and its answer parsed; or several on one {@link Connection}, for state a connection keeps
 * (fetch and share sessions); or bytes that are no request at all, to see the listener close the connection.
 */
public final class KafkaWire {

    private KafkaWire() {
    }

    /** {@code builder}'s request at the newest version kafka-clients knows, and Kafka's parse of the answer. */
    public static AbstractResponse call(String bootstrap, ApiKeys api, AbstractRequest.Builder<?> builder)
            throws IOException {
        return call(bootstrap, api, api.latestVersion(), builder);
    }

    /** {@code builder}'s request at {@code version}, and Kafka's parse of the answer. */
    public static AbstractResponse call(String bootstrap, ApiKeys api, short version,
                                        AbstractRequest.Builder<?> builder) throws IOException {
        try (Connection connection = new Connection(bootstrap)) {
            return connection.call(api, version, builder);
        }
    }

    /** One connection to the listener, its requests sent one at a time. */
    public static final class Connection implements AutoCloseable {

        private final Socket socket;
        private int correlationId;

        public Connection(String bootstrap) throws IOException {
            String[] hostPort = bootstrap.split(":");
            socket = new Socket();
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
            socket.setSoTimeout(30_000);
        }

        /** Over a socket already connected, a TLS one say ({@code SSLSocketFactory}). */
        public Connection(Socket connected) throws IOException {
            socket = connected;
            socket.setSoTimeout(30_000);
        }

        public AbstractResponse call(ApiKeys api, AbstractRequest.Builder<?> builder) throws IOException {
            return call(api, api.latestVersion(), builder);
        }

        public AbstractResponse call(ApiKeys api, short version, AbstractRequest.Builder<?> builder)
                throws IOException {
            RequestHeader header = new RequestHeader(api, version, "sluice-test", ++correlationId);
            ByteBuffer payload = builder.build(version).serializeWithHeader(header);
            byte[] frame = new byte[4 + payload.remaining()];
            ByteBuffer.wrap(frame).putInt(payload.remaining()).put(payload);
            send(frame);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }

        /** Sends {@code bytes} as they are: a frame of one's own making, well-formed or not. */
        public void send(byte[] bytes) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
        }

        /**
         * Whether the listener closes the connection without answering within the socket's timeout: the next read
         * ends the stream, or is reset (a socket closed with bytes unread is reset by the kernel). False if bytes
         * arrive instead.
         */
        public boolean closedByPeer() throws IOException {
            InputStream in = socket.getInputStream();
            try {
                return in.read() == -1;
            } catch (SocketException reset) {
                return true;
            } catch (SocketTimeoutException open) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
