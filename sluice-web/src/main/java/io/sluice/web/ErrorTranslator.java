package io.sluice.web;

import io.sluice.protocol.SluiceException;

/**
 * A service's own failures said as Sluice errors, for {@link ProblemHandler} to render: a service whose libraries
 * throw exceptions of their own (a Redis client's, say) gives them their error code here, and the one handler
 * answers them like every other error. A bean; translators are asked in order.
 */
@FunctionalInterface
public interface ErrorTranslator {

    /** The error {@code error} stands for, or null when it is not this translator's to say. */
    SluiceException translate(Throwable error);
}
