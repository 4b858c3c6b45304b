package io.sluice.gateway.security;

import io.sluice.security.SecurityProperties;
import io.sluice.security.SluicePrincipal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived tokens for the SSE routes, where a browser's {@code EventSource} cannot send an Authorization header:
 * an authenticated principal mints one ({@code POST /v1/stream-tokens}) and opens the stream with
 * {@code ?access_token=}. A token is {@code base64url(name).expiry-epoch-seconds.base64url(HMAC-SHA256)} over the first
 * two parts; it is checked in constant time and names no more than the principal it stands for.
 *
 * <p>Thread-safe: a {@link Mac} is made per call.
 */
final class StreamTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    StreamTokens(SecurityProperties.StreamTokens settings, Clock clock) {
        byte[] secret;
        if (settings.secret() != null && !settings.secret().isBlank()) {
            secret = settings.secret().getBytes(StandardCharsets.UTF_8);
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.key = new SecretKeySpec(secret, ALGORITHM);
        this.ttl = settings.ttl();
        this.clock = clock;
    }

    record Minted(String token, Instant expiresAt) {
    }

    Minted mint(SluicePrincipal principal) {
        Instant expiresAt = clock.instant().plus(ttl);
        String payload = ENCODER.encodeToString(principal.name().getBytes(StandardCharsets.UTF_8)) + "."
                + expiresAt.getEpochSecond();
        return new Minted(payload + "." + ENCODER.encodeToString(mac(payload)), expiresAt);
    }

    /** The principal a valid, unexpired token stands for; empty for anything else. */
    Optional<SluicePrincipal> verify(String token) {
        int last = token.lastIndexOf('.');
        int first = token.indexOf('.');
        if (first < 1 || last <= first) {
            return Optional.empty();
        }
        String payload = token.substring(0, last);
        try {
            if (!MessageDigest.isEqual(mac(payload), DECODER.decode(token.substring(last + 1)))) {
                return Optional.empty();
            }
            long expiry = Long.parseLong(token.substring(first + 1, last));
            if (clock.instant().getEpochSecond() >= expiry) {
                return Optional.empty();
            }
            return Optional.of(new SluicePrincipal(
                    new String(DECODER.decode(token.substring(0, first)), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
