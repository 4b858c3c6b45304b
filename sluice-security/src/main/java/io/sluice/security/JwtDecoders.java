package io.sluice.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The gateway's bearer-token check, Spring Security's resource-server decoder (Nimbus): the signature against a JWKS
 * endpoint's keys or one PEM RSA public key (an unsigned {@code alg: none} token never parses as signed), then
 * {@code exp} (required) and {@code nbf} within the clock skew, {@code iss} and {@code aud} when configured.
 */
public final class JwtDecoders {

    private JwtDecoders() {
    }

    public static ReactiveJwtDecoder of(SecurityProperties.Jwt settings) {
        if (settings.jwkSetUri() != null && settings.publicKeyFile() != null) {
            throw new IllegalStateException("sluice.security.jwt: set jwk-set-uri or public-key-file, not both");
        }
        NimbusReactiveJwtDecoder decoder = settings.jwkSetUri() != null
                ? NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build()
                : NimbusReactiveJwtDecoder.withPublicKey(publicKey(settings)).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(settings.clockSkew()));
        validators.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        if (settings.issuer() != null) {
            validators.add(new JwtIssuerValidator(settings.issuer()));
        }
        if (settings.audience() != null) {
            validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    audience -> audience != null && audience.contains(settings.audience())));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static RSAPublicKey publicKey(SecurityProperties.Jwt settings) {
        try {
            String pem = Files.readString(settings.publicKeyFile())
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWT public key " + settings.publicKeyFile(), e);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("The JWT public key " + settings.publicKeyFile()
                    + " is not a PEM RSA public key", e);
        }
    }
}
