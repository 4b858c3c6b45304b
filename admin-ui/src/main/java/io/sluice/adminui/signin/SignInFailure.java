package io.sluice.adminui.signin;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;

/**
 * Why a sign-in failed, as the sign-in page says it: one message for wrong credentials whatever was wrong (the
 * gateway says no more), one for too many attempts, one for a gateway that did not answer.
 */
enum SignInFailure {
    CREDENTIALS("credentials", "Wrong user name or password."),
    THROTTLED("throttled", "Too many failed sign-ins; wait a minute and try again."),
    UNAVAILABLE("unavailable", "The gateway did not answer; try again shortly.");

    private final String code;
    private final String message;

    SignInFailure(String code, String message) {
        this.code = code;
        this.message = message;
    }

    String code() {
        return code;
    }

    String message() {
        return message;
    }

    static SignInFailure of(AuthenticationException e) {
        if (e instanceof LockedException) {
            return THROTTLED;
        }
        return e instanceof AuthenticationServiceException ? UNAVAILABLE : CREDENTIALS;
    }

    /** The failure a sign-in page's {@code error} parameter names; any other value reads as wrong credentials. */
    static SignInFailure ofCode(String code) {
        for (SignInFailure failure : values()) {
            if (failure.code.equals(code)) {
                return failure;
            }
        }
        return CREDENTIALS;
    }
}
