package io.sluice.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslHandler;
import io.sluice.internal.InternalPaths;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plumbing of internal routes that Reactor Netty serves itself, ahead of WebFlux (a service's data path: no
 * handler mapping, argument resolution, codecs or observation per request). Each route built by {@link #post} does,
 * in order, what the WebFlux stack and {@link ClusterSecretFilter} do for the other routes:
 * <ol>
 *   <li>refuses a caller {@link ClusterAdmission} does not admit: 401 SASL_AUTHENTICATION_FAILED;</li>
 *   <li>refuses any other content type than the route's: 415 UNSUPPORTED_MEDIA_TYPE;</li>
 *   <li>refuses a body over the route's limit, from its declared length before reading it, or while reading it:
 *       413 REQUEST_TOO_LARGE;</li>
 *   <li>hands the whole body (one heap copy) to the handler, and answers whatever the handler fails with as a problem:
 *       a {@link SluiceException} with its code, anything else as a logged 500 without internals.</li>
 * </ol>
 * Every refusal comes before the handler runs, so it changes nothing. Problems are the same RFC 9457 bodies as
 * everywhere else ({@link Problems}), so the one internal client reads them the same way.
 */
public final class InternalRoutes {

    static final String NOT_A_MEMBER =
            "This is an internal route of the cluster: it needs the cluster's client certificate or secret";

    private static final Logger LOG = LoggerFactory.getLogger(InternalRoutes.class);

    private final ClusterAdmission admission;
    private final JsonMapper json;

    public InternalRoutes(ClusterAdmission admission, JsonMapper json) {
        this.admission = admission;
        this.json = json;
    }

    /** What a route does with a request whose body it has read; it writes the whole response. */
    @FunctionalInterface
    public interface BodyHandler {
        Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, ByteBuffer body);
    }

    /** A POST route taking bodies of {@code contentType} up to {@code maxBodyBytes}. */
    public BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> post(String contentType, long maxBodyBytes,
                                                                                   BodyHandler handler) {
        return (request, response) -> Mono.defer(() -> {
            if (!admitted(request)) {
                LOG.debug("Refused an internal call without a client certificate or the cluster secret from {}",
                        request.remoteAddress());
                return Mono.error(ErrorCode.SASL_AUTHENTICATION_FAILED.exception(NOT_A_MEMBER));
            }
            String type = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
            if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(contentType)) {
                return Mono.error(ErrorCode.UNSUPPORTED_MEDIA_TYPE.exception("This route takes " + contentType
                        + " bodies, not " + (type == null ? "a body without a Content-Type" : type)));
            }
            long declared = declaredLength(request);
            if (declared > maxBodyBytes) {
                return Mono.error(tooLarge(declared + " bytes", maxBodyBytes));
            }
            return body(request, declared, maxBodyBytes)
                    .flatMap(body -> handler.handle(request, response, ByteBuffer.wrap(body)));
        }).onErrorResume(error -> problem(response, error));
    }

    private boolean admitted(HttpServerRequest request) {
        if (!admission.enabled()) {
            return true;
        }
        return admission.admits(request.requestHeaders().get(InternalPaths.CLUSTER_SECRET_HEADER),
                peerCertificates(request));
    }

    /** The client certificates the connection's TLS session verified; null without TLS or without a certificate. */
    private static X509Certificate[] peerCertificates(HttpServerRequest request) {
        AtomicReference<SslHandler> ssl = new AtomicReference<>();
        request.withConnection(connection -> ssl.set(connection.channel().pipeline().get(SslHandler.class)));
        if (ssl.get() == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.get().engine().getSession().getPeerCertificates();
            return Arrays.stream(chain).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Content-Length is not a number: " + length);
        }
    }

    /**
     * The body in one heap array, sized by its declared length when there is one. Reactor Netty releases each
     * network buffer once it has been copied here.
     */
    private static Mono<byte[]> body(HttpServerRequest request, long declared, long limit) {
        return request.receive()
                .reduceWith(() -> new Body(declared), (body, buffer) -> body.append(buffer, limit))
                .map(Body::bytes);
    }

    private static SluiceException tooLarge(String size, long limit) {
        return ErrorCode.REQUEST_TOO_LARGE.exception("The request body is " + size + "; the limit is " + limit);
    }

    /** The problem answer for {@code error}, unless the response has begun, when only closing the connection is left. */
    private Mono<Void> problem(HttpServerResponse response, Throwable error) {
        if (error instanceof AbortedException) {
            // The caller went away before the answer (a long poll it cancelled: a stream that closed, a Kafka fetch
            // that had its data from another leader): nothing to answer, and nothing wrong here.
            LOG.debug("The caller of an internal route went away before its answer: {}", error.getMessage());
            return Mono.empty();
        }
        if (response.hasSentHeaders()) {
            return Mono.error(error);
        }
        SluiceException e;
        if (error instanceof SluiceException sluice) {
            e = sluice;
        } else {
            LOG.error("Unexpected error on an internal route", error);
            e = ErrorCode.UNKNOWN_SERVER_ERROR.exception(Problems.UNEXPECTED);
        }
        byte[] body = json.writeValueAsBytes(Problems.members(Problems.of(e)));
        response.status(e.errorCode().httpStatus())
                .header(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        Problems.headers(e.errorCode().httpStatus()).forEach((name, values) -> response.header(name, values.getFirst()));
        return response.sendByteArray(Mono.just(body)).then();
    }

    /** A growing copy of the body, refused as soon as it passes the limit. */
    private static final class Body {

        private byte[] bytes;
        private int size;

        Body(long declared) {
            // Sized by the declared length (at most the route's limit, already checked), so one array does.
            bytes = new byte[declared > 0 ? (int) Math.min(declared, Integer.MAX_VALUE - 8) : 256];
        }

        Body append(io.netty.buffer.ByteBuf buffer, long limit) {
            int readable = buffer.readableBytes();
            if ((long) size + readable > limit) {
                throw tooLarge("over " + (size + readable) + " bytes", limit);
            }
            if (size + readable > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(size + readable, bytes.length * 2));
            }
            buffer.readBytes(bytes, size, readable);
            size += readable;
            return this;
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
