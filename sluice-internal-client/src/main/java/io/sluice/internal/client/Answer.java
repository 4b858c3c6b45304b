package io.sluice.internal.client;

/** A target's answer: status, the Location of a redirect (else null), and the whole body. */
record Answer(int status, String location, byte[] body) {

    boolean isRedirect() {
        return status == 307 || status == 308;
    }
}
