package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.launcher.LocalCa;
import io.sluice.security.KafkaTls;
import io.sluice.security.SecurityProperties.ClientAuth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * {@code sluice.security.tls.client-auth=required} on a Kafka listener's TLS ({@link KafkaTls#server}, as the gateway's
 * and the partition service's listeners build it): a client without a certificate fails the handshake and gets no
 * byte through, one with a certificate of the listener's CA gets its bytes answered. ({@code requested} is
 * {@link ClientCertificateTest}'s.)
 */
class RequiredClientCertificateTest {

    private static Path ca;
    private static DisposableServer server;

    @BeforeAll
    static void listen() throws IOException {
        ca = Files.createTempDirectory("sluice-required-ca");
        LocalCa.issue(ca, LocalCa.keytool(), Files::writeString, Map.of("alice", "CN=alice,OU=clients,O=Example"));
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("file:" + ca.resolve("node.pem"))
                        .withPrivateKey("file:" + ca.resolve("node.key")),
                PemSslStoreDetails.forCertificate("file:" + ca.resolve("ca.pem"))));
        // Echoes what it reads: a byte back means the handshake passed.
        server = TcpServer.create().host("127.0.0.1").port(0)
                .secure(spec -> spec.sslContext(KafkaTls.server(bundle, ClientAuth.REQUIRED)))
                .handle((in, out) -> out.send(in.receive().retain()))
                .bindNow(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.disposeNow();
        }
        try (var files = Files.list(ca)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(ca);
    }

    @Test
    void aClientWithoutACertificateFailsTheHandshakeAndOneWithACertificateOfTheCaIsServed() throws Exception {
        assertThatThrownBy(() -> echo(tls(null))).as("no client certificate").isInstanceOf(IOException.class);
        assertThat(echo(tls("alice"))).as("alice's certificate of the listener's CA").isEqualTo(42);
    }

    /** Writes one byte over TLS and reads what comes back; an IOException when the handshake or the read fails. */
    private static int echo(SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(42);
            out.flush();
            InputStream in = socket.getInputStream();
            int answer = in.read();
            if (answer < 0) {
                throw new IOException("the listener closed the connection");
            }
            return answer;
        }
    }

    private static SSLContext tls(String client) {
        PemSslStoreDetails key = client == null ? null
                : PemSslStoreDetails.forCertificate("file:" + ca.resolve(client + ".pem"))
                        .withPrivateKey("file:" + ca.resolve(client + ".key"));
        return SslBundle.of(new PemSslStoreBundle(key, PemSslStoreDetails.forCertificate("file:"
                + ca.resolve("ca.pem")))).createSslContext();
    }
}
