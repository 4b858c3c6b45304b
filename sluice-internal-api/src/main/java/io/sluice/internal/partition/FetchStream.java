package io.sluice.internal.partition;

import io.sluice.protocol.Acks;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * The fetch stream: fetches (and a gateway's produce requests) over one persistent connection to a partition node's
 * internal port, many in flight at once, without an HTTP exchange per request. A connection carries one {@link Kind}
 * of request: a gateway's consumer fetches ({@link FetchRequestCodec}) or a follower's replica fetches
 * ({@link io.sluice.internal.replication.ReplicaFetchRequestCodec}), both answered with {@link FetchResponseCodec}'s
 * sections, or a gateway's produce requests ({@link #produceRequest}: {@code POST /internal/produce}'s parameters and
 * {@link ProduceRequestCodec}'s body), answered with {@link ProduceResponseCodec}'s. It opens with its kind's
 * {@link #preface} ({@code "SLFS"} and the kind's byte, which no HTTP request starts with, so the node tells the two
 * apart on one port), then carries frames both ways, each {@code length:int32} followed by that many bytes:
 * <pre>
 *   hello    := secret:string                             (the caller's first frame; "" without a cluster secret)
 *   request  := correlation:int32 body:(FetchRequestCodec | ReplicaFetchRequestCodec | produce, by the kind)
 *   produce  := acks:string timeout_ms:int64 entries:ProduceRequestCodec      (acks "0", "1" or "all")
 *   response := correlation:int32 status:int8 (body:(FetchResponseCodec | ProduceResponseCodec) | code:string message:string)
 * </pre>
 * {@code string} is {@link WireStrings}'. The node answers the hello with correlation 0: OK (no body) when it admits
 * the caller; when the secret is not the cluster's, FAILED (SASL_AUTHENTICATION_FAILED), and it closes the connection.
 * A caller sends fetches once admitted. A response answers the request with its correlation (never 0); responses come in the order
 * their fetches complete (a long poll does not hold back the fetches behind it). Status {@link #OK} carries the
 * sections, {@link #FAILED} the {@link ErrorCode} the fetch failed with, as the HTTP route's problem would (a request
 * body that does not parse is INVALID_REQUEST). A frame over {@link #MAX_REQUEST_FRAME}, or a hello that does not
 * parse, closes the connection, and only it.
 */
public final class FetchStream {

    /** What every preface starts with; its last byte is the {@link Kind}'s. */
    private static final byte[] MAGIC = {'S', 'L', 'F', 'S'};

    /** How many bytes a preface takes. */
    public static final int PREFACE_LENGTH = MAGIC.length + 1;

    /** What a connection's requests are: the last byte of its preface. */
    public enum Kind {
        /** A gateway's consumer fetches, below the high watermark ({@code POST /internal/fetch}'s). */
        CONSUMER((byte) 1),
        /** A follower's fetches from its leader, to the log end ({@code POST /internal/replica-fetch}'s). */
        REPLICA((byte) 2),
        /** A gateway's produce requests to a leader ({@code POST /internal/produce}'s). */
        PRODUCE((byte) 3);

        private final byte code;

        Kind(byte code) {
            this.code = code;
        }

        /** The kind whose preface {@code preface} is, or null for none. */
        public static Kind of(byte[] preface) {
            return preface.length < PREFACE_LENGTH || !maybePreface(preface, preface.length) ? null
                    : byCode(preface[MAGIC.length]);
        }

        private static Kind byCode(byte code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** The largest request frame a node reads; a larger produce goes over HTTP. */
    public static final int MAX_REQUEST_FRAME = 1024 * 1024;

    /** The largest response frame a caller reads (a fetch's {@code max_bytes} is at most this, with its headers). */
    public static final int MAX_RESPONSE_FRAME = 256 * 1024 * 1024;

    public static final byte OK = 0;
    public static final byte FAILED = 1;

    private FetchStream() {
    }

    /** The preface of a connection for {@code kind}'s fetches, for a caller to send first. */
    public static byte[] preface(Kind kind) {
        byte[] preface = Arrays.copyOf(MAGIC, PREFACE_LENGTH);
        preface[MAGIC.length] = kind.code;
        return preface;
    }

    /** Whether {@code start}, a connection's first bytes (any number), can begin a preface of some kind. */
    public static boolean maybePreface(byte[] start, int length) {
        int n = Math.min(length, MAGIC.length);
        if (!Arrays.equals(start, 0, n, MAGIC, 0, n)) {
            return false;
        }
        return length <= MAGIC.length || Kind.byCode(start[MAGIC.length]) != null;
    }

    /** The hello frame, length included. */
    public static ByteBuffer hello(String secret) {
        String value = secret == null ? "" : secret;
        ByteBuffer out = ByteBuffer.allocate(4 + WireStrings.size(value));
        out.putInt(WireStrings.size(value));
        WireStrings.write(out, value);
        return out.flip();
    }

    /** The secret of a hello frame's body. */
    public static String readHello(ByteBuffer body) {
        try {
            String secret = WireStrings.read(body);
            WireStrings.requireEnd(body, "Fetch stream hello");
            return secret;
        } catch (BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Fetch stream hello ends early");
        }
    }

    /** The answer to a hello the node admits, length included. */
    public static ByteBuffer admitted() {
        return ByteBuffer.allocate(9).putInt(5).putInt(0).put(OK).flip();
    }

    /** A consumer fetch's request frame, length included. */
    public static ByteBuffer request(int correlation, FetchRequest request) {
        return request(correlation, FetchRequestCodec.encode(request));
    }

    /** A request frame around {@code body}, its kind's encoded request, length included. */
    public static ByteBuffer request(int correlation, ByteBuffer body) {
        ByteBuffer out = ByteBuffer.allocate(4 + 4 + body.remaining());
        out.putInt(4 + body.remaining()).putInt(correlation).put(body);
        return out.flip();
    }

    /** A produce request's body: its acks, how long the leader may wait for them, and its entries' body. */
    public static ByteBuffer produceRequest(Acks acks, long timeoutMs, ByteBuffer entries) {
        ByteBuffer out = ByteBuffer.allocate(WireStrings.size(acks.wireName()) + 8 + entries.remaining());
        WireStrings.write(out, acks.wireName());
        out.putLong(timeoutMs).put(entries.duplicate());
        return out.flip();
    }

    /** A produce request's parameters, and its entries' body ({@link ProduceRequestCodec}'s) still to decode. */
    public record ProduceCall(Acks acks, Duration timeout, ByteBuffer entries) {
    }

    /** The produce request {@code body} carries; INVALID_REQUEST when its parameters do not parse. */
    public static ProduceCall readProduceRequest(ByteBuffer body) {
        try {
            Acks acks = Acks.parse(WireStrings.read(body));
            long timeoutMs = body.getLong();
            if (timeoutMs < 0) {
                throw ErrorCode.INVALID_REQUEST.exception("timeout_ms must be >= 0, was " + timeoutMs);
            }
            return new ProduceCall(acks, Duration.ofMillis(timeoutMs), body.slice());
        } catch (BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Produce stream request ends early");
        }
    }

    /**
     * The start of an OK response frame whose body ({@link FetchResponseCodec}'s sections, or
     * {@link ProduceResponseCodec}'s answer) is {@code bodyLength} bytes; the body follows it.
     */
    public static ByteBuffer okHead(int correlation, long bodyLength) {
        long length = 4 + 1 + bodyLength;
        if (length > MAX_RESPONSE_FRAME) {
            throw new IllegalArgumentException("A fetch answer of " + bodyLength + " bytes does not fit a frame");
        }
        return ByteBuffer.allocate(9).putInt((int) length).putInt(correlation).put(OK).flip();
    }

    /** A whole FAILED response frame. */
    public static ByteBuffer failed(int correlation, ErrorCode code, String message) {
        String text = message == null ? "" : message.length() > 2000 ? message.substring(0, 2000) : message;
        int length = 4 + 1 + WireStrings.size(code.name()) + WireStrings.size(text);
        ByteBuffer out = ByteBuffer.allocate(4 + length).putInt(length).putInt(correlation).put(FAILED);
        WireStrings.write(out, code.name());
        WireStrings.write(out, text);
        return out.flip();
    }

    /** The failure a FAILED response's rest ({@code in}, after its status) carries. */
    public static SluiceException readFailure(ByteBuffer in) {
        try {
            String code = WireStrings.read(in);
            String message = WireStrings.read(in);
            return ErrorCode.forName(code).exception(message);
        } catch (BufferUnderflowException e) {
            return ErrorCode.UNKNOWN_SERVER_ERROR.exception("A fetch stream failure that ends early");
        }
    }
}
