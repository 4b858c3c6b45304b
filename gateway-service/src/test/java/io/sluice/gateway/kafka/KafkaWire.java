package io.sluice.gateway.kafka;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One Kafka request, built by kafka-clients, sent to the listener on a connection of its own, and its answer parsed;
 * or several on one {@link Connection}, for state a connection keeps (share sessions).
 */
final class KafkaWire {

    private KafkaWire() {
    }

    /** {@code builder}'s request at the newest version kafka-clients knows, and Kafka's parse of the answer. */
    static AbstractResponse call(String bootstrap, ApiKeys api, AbstractRequest.Builder<?> builder) throws IOException {
        return call(bootstrap, api, api.latestVersion(), builder);
    }

    /** {@code builder}'s request at {@code version}, and Kafka's parse of the answer. */
    static AbstractResponse call(String bootstrap, ApiKeys api, short version, AbstractRequest.Builder<?> builder)
            throws IOException {
        try (Connection connection = new Connection(bootstrap)) {
            return connection.call(api, version, builder);
        }
    }

    /** One connection to the listener, its requests sent one at a time. */
    static final class Connection implements AutoCloseable {

        private final Socket socket = new Socket();
        private int correlationId;

        Connection(String bootstrap) throws IOException {
            String[] hostPort = bootstrap.split(":");
            socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 5000);
            socket.setSoTimeout(30_000);
        }

        AbstractResponse call(ApiKeys api, AbstractRequest.Builder<?> builder) throws IOException {
            return call(api, api.latestVersion(), builder);
        }

        AbstractResponse call(ApiKeys api, short version, AbstractRequest.Builder<?> builder) throws IOException {
            RequestHeader header = new RequestHeader(api, version, "sluice-test", ++correlationId);
            ByteBuffer payload = builder.build(version).serializeWithHeader(header);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(4).putInt(payload.remaining()).array());
            out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readInt()];
            in.readFully(answer);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
