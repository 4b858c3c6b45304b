package io.sluice.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.testing.SecurityFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A secured gateway's fixtures, made fresh per test JVM: a users file (alice, bob, the super user admin), the key pair
 * whose public half the gateway trusts for JWTs, and a second pair it does not.
 */
public final class SecurityFixtures {

    public static final String ISSUER = "https://idp.example";
    public static final String AUDIENCE = "sluice";
    public static final String ALICE_PASSWORD = "alice-secret-1";
    public static final String BOB_PASSWORD = "bob-secret-2";
    public static final String ADMIN_PASSWORD = "admin-secret-3";

    static final KeyPair TRUSTED = SecurityFiles.rsaKeyPair();
    static final KeyPair UNTRUSTED = SecurityFiles.rsaKeyPair();
    private static final Path DIR = directory();

    private SecurityFixtures() {
    }

    /** Security on, with Basic users and JWTs from {@link #TRUSTED}. */
    public static void register(DynamicPropertyRegistry registry) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Path users = write("users", "# test users\nalice:" + bcrypt.encode(ALICE_PASSWORD) + "\nbob:"
                + bcrypt.encode(BOB_PASSWORD) + "\n\nadmin:" + bcrypt.encode(ADMIN_PASSWORD) + "\n");
        Path key = write("jwt.pem", "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(TRUSTED.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("sluice.security.enabled", () -> "true");
        registry.add("sluice.security.basic.users-file", users::toString);
        registry.add("sluice.security.jwt.public-key-file", key::toString);
        registry.add("sluice.security.jwt.issuer", () -> ISSUER);
        registry.add("sluice.security.jwt.audience", () -> AUDIENCE);
        registry.add("sluice.security.jwt.clock-skew", () -> "5s");
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JWTClaimsSet.Builder claims(String subject, Instant expires) {
        return new JWTClaimsSet.Builder().subject(subject).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(expires.minusSeconds(600))).expirationTime(Date.from(expires));
    }

    static String signed(KeyPair key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(key.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String subject) {
        return "Bearer " + signed(TRUSTED, claims(subject, Instant.now().plusSeconds(600)).build());
    }

    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    private static Path directory() {
        try {
            Path dir = Files.createTempDirectory("sluice-security-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, String content) {
        try {
            Path file = DIR.resolve(name);
            Files.writeString(file, content);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
