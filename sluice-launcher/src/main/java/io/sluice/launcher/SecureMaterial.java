package io.sluice.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * What {@code bin/sluice up --secure} makes once for a cluster and reuses on every later {@code up}: the directory
 * {@code <base>/secure/} (0700), every file in it 0600:
 * <pre>
 *   ca.pem, node.pem, node.key   the cluster's CA and the certificate every service serves and presents ({@link LocalCa})
 *   users                        one line, admin:&lt;bcrypt hash&gt;, the gateway's HTTP Basic users file
 *   admin.password               the admin user's password, random
 *   sluice.properties            what every service imports (--spring.config.import): security on, a random cluster
 *                                secret and stream-token secret, the users file, super-users=User:admin, internal TLS
 *                                and the SSL bundle {@value #BUNDLE} made of the three PEM files
 * </pre>
 * Secrets live only in these files, never on a command line (the launcher writes each service's command line at the
 * top of its log). The material is made when {@code sluice.properties} is missing, all of it anew.
 */
record SecureMaterial(Path dir) {

    static final String DIR = "secure";
    static final String BUNDLE = "sluice";
    static final String ADMIN = "admin";
    static final String PROPERTIES = "sluice.properties";
    static final String USERS = "users";
    static final String PASSWORD = "admin.password";
    static final String KAFKA_CLIENT = "kafka-client.properties";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    static SecureMaterial of(Path baseDir) {
        return new SecureMaterial(baseDir.resolve(DIR));
    }

    /** Whether the material is complete (the properties file is written last). */
    boolean exists() {
        return Files.isRegularFile(properties());
    }

    /** Makes the material unless it exists; reports which. */
    void ensure(Consumer<String> reporter) {
        if (exists()) {
            reporter.accept("Reusing the CA, certificates, secrets and admin user in " + dir);
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            LocalCa.issue(dir, LocalCa.keytool(), SecureMaterial::writeOwnerOnly);
            String password = random(15);
            writeOwnerOnly(passwordFile(), password + "\n");
            writeOwnerOnly(usersFile(), ADMIN + ":" + bcrypt(password) + "\n");
            writeOwnerOnly(properties(), properties(random(32), random(32)));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the secure cluster's files in " + dir, e);
        }
        reporter.accept("Made a local CA, a certificate for localhost and 127.0.0.1, secrets and the user admin in "
                + dir);
    }

    Path properties() {
        return dir.resolve(PROPERTIES);
    }

    Path caCertificate() {
        return dir.resolve(LocalCa.CA_CERTIFICATE);
    }

    Path usersFile() {
        return dir.resolve(USERS);
    }

    Path passwordFile() {
        return dir.resolve(PASSWORD);
    }

    /** A Kafka client's settings for the gateway's Kafka listener: SASL_SSL as admin, trusting the cluster's CA. */
    Path kafkaClientProperties() {
        return dir.resolve(KAFKA_CLIENT);
    }

    /**
     * Writes {@link #kafkaClientProperties} for a listener at {@code bootstrap}: what {@code kafka-console-producer
     * --producer.config}, {@code kafka-topics --command-config} and any Java client read. It holds the admin's
     * password, so it is the owner's only, like the password file.
     */
    void writeKafkaClientProperties(String bootstrap) {
        try {
            writeOwnerOnly(kafkaClientProperties(), String.join("\n", List.of(
                    "# Made by bin/sluice up --secure: a Kafka client of this cluster, signed in as " + ADMIN + ".",
                    "bootstrap.servers=" + bootstrap,
                    "security.protocol=SASL_SSL",
                    "sasl.mechanism=PLAIN",
                    "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                            + ADMIN + "\" password=\"" + adminPassword() + "\";",
                    "ssl.truststore.type=PEM",
                    "ssl.truststore.location=" + caCertificate(),
                    "")));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + kafkaClientProperties(), e);
        }
    }

    String adminPassword() {
        try {
            return Files.readString(passwordFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts the cluster's CA and presents its certificate: for the launcher's own calls to the services. */
    SSLContext sslContext() {
        try {
            return LocalCa.sslContext(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one argument that gives a service all of this: the import of {@code sluice.properties}. */
    String importArgument() {
        return "--spring.config.import=file:" + properties();
    }

    private String properties(String clusterSecret, String streamTokenSecret) {
        String bundle = "spring.ssl.bundle.pem." + BUNDLE + ".";
        return String.join("\n", List.of(
                "# Made by bin/sluice up --secure; every service of the cluster imports it. Secret: keep it 0600.",
                "sluice.security.enabled=true",
                "sluice.security.cluster-secret=" + clusterSecret,
                "sluice.security.stream-tokens.secret=" + streamTokenSecret,
                "sluice.security.basic.users-file=" + usersFile(),
                "sluice.security.super-users=User:" + ADMIN,
                "sluice.internal-tls.bundle=" + BUNDLE,
                bundle + "keystore.certificate=file:" + dir.resolve(LocalCa.CERTIFICATE),
                bundle + "keystore.private-key=file:" + dir.resolve(LocalCa.PRIVATE_KEY),
                bundle + "truststore.certificate=file:" + caCertificate(),
                bundle + "reload-on-update=true",
                ""));
    }

    /** A bcrypt hash ({@code $2b$}, cost 10) as htpasswd -B and Spring Security's BCryptPasswordEncoder read. */
    private static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 10);
    }

    /** URL-safe base64 of {@code bytes} random bytes. */
    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    /** Creates (or replaces) a file readable by its owner only, before any content is in it. */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
