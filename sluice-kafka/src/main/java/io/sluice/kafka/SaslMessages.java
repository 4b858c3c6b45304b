package io.sluice.kafka;

import java.nio.charset.StandardCharsets;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerClientInitialResponse;

/**
 * The client's first SASL message of the two mechanisms the listener offers, as SaslAuthenticate carries it.
 * OAUTHBEARER's (RFC 7628's GS2 header and key/value pairs) is read by kafka-clients' own parser; PLAIN's is RFC 4616's
 * three NUL-separated UTF-8 fields.
 */
public final class SaslMessages {

    private SaslMessages() {
    }

    /** PLAIN's message: who to act as (empty: the user itself), the user name, the password. */
    public record Plain(String authorizationId, String user, String password) {
    }

    /** @throws IllegalArgumentException when the bytes are not three NUL-separated fields with a user name */
    public static Plain plain(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int first = text.indexOf('\0');
        int second = first < 0 ? -1 : text.indexOf('\0', first + 1);
        if (first < 0 || second < 0 || text.indexOf('\0', second + 1) >= 0 || second == first + 1) {
            throw new IllegalArgumentException("A SASL/PLAIN message is [authzid] NUL user NUL password");
        }
        return new Plain(text.substring(0, first), text.substring(first + 1, second), text.substring(second + 1));
    }

    /**
     * OAUTHBEARER's token.
     *
     * @throws IllegalArgumentException when the bytes are no OAUTHBEARER client response
     */
    public static String oauthBearerToken(byte[] message) {
        try {
            return new OAuthBearerClientInitialResponse(message).tokenValue();
        } catch (SaslException e) {
            throw new IllegalArgumentException("Not an OAUTHBEARER client response: " + e.getMessage(), e);
        }
    }
}
