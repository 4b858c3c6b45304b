package io.sluice.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority for one local cluster, made with the JDK alone: {@code keytool} (from {@code java.home})
 * makes the key pairs and signs, the {@link KeyStore} API turns them into the PEM files Spring Boot's SSL bundles read.
 * Writes into {@code dir}:
 * <pre>
 *   ca.pem     the CA's certificate (CN=Sluice local CA; basicConstraints CA, keyCertSign and cRLSign)
 *   node.pem   the certificate every service of the cluster uses, then the CA's: CN=localhost,
 *              subjectAltName DNS:localhost and IP:127.0.0.1, digitalSignature, serverAuth and clientAuth, so one
 *              certificate serves HTTPS and is presented as a client certificate (mutual TLS)
 *   node.key   its private key, unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----})
 *   &lt;name&gt;.pem, &lt;name&gt;.key   for each client certificate asked for: its subject as given,
 *              digitalSignature and clientAuth only, then the CA's; its key as node.key's
 * </pre>
 * EC P-256 keys, valid for {@link #VALIDITY} from now. The CA's private key is not kept: the cluster trusts exactly
 * what was issued here. Intermediate key stores, their one-time password and the signing request live in a
 * scratch directory inside {@code dir} and are deleted; the password goes to keytool in a file, never on its command
 * line.
 */
public final class LocalCa {

    static final Duration VALIDITY = Duration.ofDays(365);
    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CERTIFICATE = "node.pem";
    static final String PRIVATE_KEY = "node.key";

    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", Pattern.DOTALL);
    private static final Pattern PEM_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----(.+?)-----END PRIVATE KEY-----", Pattern.DOTALL);

    private LocalCa() {
    }

    /**
     * Makes a CA and the cluster's certificate in {@code dir} (which must exist), each file written with
     * {@code writer} (which sets its permissions).
     *
     * @throws IllegalStateException when keytool fails, quoting its output
     */
    public static void issue(Path dir, Path keytool, FileWriter writer) throws IOException {
        issue(dir, keytool, writer, Map.of());
    }

    /**
     * Makes a CA, the cluster's certificate and, for each entry of {@code clients}, a client certificate with that
     * subject ({@code CN=alice,OU=clients}) in {@code <name>.pem} and {@code <name>.key}: what a client presents to a
     * listener that asks for certificates (mutual TLS) and whose subject names its principal.
     */
    public static void issue(Path dir, Path keytool, FileWriter writer, Map<String, String> clients)
            throws IOException {
        Path scratch = Files.createTempDirectory(dir, "ca-");
        try {
            Path password = scratch.resolve("store.password");
            writer.write(password, HexFormat.of().formatHex(random(16)));
            Path caStore = scratch.resolve("ca.p12");
            Path nodeStore = scratch.resolve("node.p12");
            Path request = scratch.resolve("node.csr");
            Path issued = scratch.resolve("node.crt");
            String days = Long.toString(VALIDITY.toDays());
            keytool(keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=Sluice local CA", "-validity", days, "-ext", "bc:c=ca:true,pathlen:0",
                    "-ext", "ku:c=keyCertSign,cRLSign", "-keystore", caStore.toString(), "-storetype", "PKCS12",
                    "-storepass:file", password.toString());
            keytool(keytool, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-validity", days, "-keystore", nodeStore.toString(),
                    "-storetype", "PKCS12", "-storepass:file", password.toString());
            keytool(keytool, "-certreq", "-alias", "node", "-keystore", nodeStore.toString(),
                    "-storepass:file", password.toString(), "-file", request.toString());
            keytool(keytool, "-gencert", "-alias", "ca", "-keystore", caStore.toString(),
                    "-storepass:file", password.toString(), "-infile", request.toString(),
                    "-outfile", issued.toString(), "-rfc", "-validity", days,
                    "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "ku:c=digitalSignature",
                    "-ext", "eku=serverAuth,clientAuth");

            char[] secret = Files.readString(password).toCharArray();
            X509Certificate ca = (X509Certificate) load(caStore, secret).getCertificate("ca");
            X509Certificate node = readCertificates(Files.readString(issued)).getFirst();
            PrivateKey key = (PrivateKey) load(nodeStore, secret).getKey("node", secret);
            writer.write(dir.resolve(CA_CERTIFICATE), pem("CERTIFICATE", ca.getEncoded()));
            writer.write(dir.resolve(CERTIFICATE),
                    pem("CERTIFICATE", node.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
            writer.write(dir.resolve(PRIVATE_KEY), pem("PRIVATE KEY", key.getEncoded()));
            for (Map.Entry<String, String> client : clients.entrySet()) {
                Path store = scratch.resolve(client.getKey() + ".p12");
                Path clientRequest = scratch.resolve(client.getKey() + ".csr");
                Path clientIssued = scratch.resolve(client.getKey() + ".crt");
                keytool(keytool, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", client.getValue(), "-validity", days, "-keystore", store.toString(),
                        "-storetype", "PKCS12", "-storepass:file", password.toString());
                keytool(keytool, "-certreq", "-alias", "client", "-keystore", store.toString(),
                        "-storepass:file", password.toString(), "-file", clientRequest.toString());
                keytool(keytool, "-gencert", "-alias", "ca", "-keystore", caStore.toString(),
                        "-storepass:file", password.toString(), "-infile", clientRequest.toString(),
                        "-outfile", clientIssued.toString(), "-rfc", "-validity", days,
                        "-ext", "ku:c=digitalSignature", "-ext", "eku=clientAuth");
                X509Certificate certificate = readCertificates(Files.readString(clientIssued)).getFirst();
                PrivateKey clientKey = (PrivateKey) load(store, secret).getKey("client", secret);
                writer.write(dir.resolve(client.getKey() + ".pem"),
                        pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
                writer.write(dir.resolve(client.getKey() + ".key"), pem("PRIVATE KEY", clientKey.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not read what keytool made: " + e, e);
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    /** The JDK's keytool beside the running java. */
    public static Path keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    /**
     * A TLS context that trusts {@code ca.pem} and presents {@code node.pem} with {@code node.key}: what the launcher
     * uses to probe and query a secured cluster.
     */
    static SSLContext sslContext(Path dir) throws IOException {
        try {
            List<X509Certificate> chain = readCertificates(Files.readString(dir.resolve(CERTIFICATE)));
            X509Certificate ca = readCertificates(Files.readString(dir.resolve(CA_CERTIFICATE))).getFirst();
            PrivateKey key = readPrivateKey(Files.readString(dir.resolve(PRIVATE_KEY)), chain.getFirst());
            char[] none = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, none);
            keys.setKeyEntry("node", key, none, chain.toArray(Certificate[]::new));
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, none);
            trust.setCertificateEntry("ca", ca);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, none);
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("The cluster's TLS files in " + dir + " cannot be used: " + e, e);
        }
    }

    /** Every certificate in a PEM text, in order. */
    public static List<X509Certificate> readCertificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        Matcher matcher = PEM_CERTIFICATE.matcher(pem);
        while (matcher.find()) {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
            certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in the PEM text");
        }
        return certificates;
    }

    static PrivateKey readPrivateKey(String pem, X509Certificate certificate) throws GeneralSecurityException {
        Matcher matcher = PEM_KEY.matcher(pem);
        if (!matcher.find()) {
            throw new GeneralSecurityException("no PKCS#8 private key in the PEM text");
        }
        byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
        return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static KeyStore load(Path store, char[] password) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        return keyStore;
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return value;
    }

    private static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }

    private static void keytool(Path keytool, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.addAll(List.of(args));
        // keytool runs for a fraction of a second: a JVM that only interprets and compiles with C1, and the smallest
        // collector, start and finish it sooner (each start cost seconds on a busy 2-core machine).
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish in " + KEYTOOL_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while keytool " + args[0] + " ran", e);
        }
    }

    /** Writes one file of secret material (creating it readable by its owner only). */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path file, String content) throws IOException;
    }
}
