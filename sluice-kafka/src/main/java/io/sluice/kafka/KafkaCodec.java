package io.sluice.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Kafka's request and response framing, through kafka-clients' generated message classes: nothing of the protocol is
 * encoded here by hand.
 *
 * <pre>
 *   frame    := size:int32 payload[size]       (the size is taken off by the listener's frame decoder)
 *   request  := header body                    header: api key, api version, correlation id, client id, tags
 *   response := size:int32 header body         header: correlation id (+ tags from the flexible versions on)
 * </pre>
 *
 * <p>Stateless and thread-safe. A request body's record sets ({@code MemoryRecords} in Produce) are slices of the
 * frame's buffer, not copies: the frame must stay untouched while its request is handled.
 */
public final class KafkaCodec {

    private KafkaCodec() {
    }

    /**
     * The request in {@code frame} (the bytes after the size prefix).
     *
     * @throws MalformedFrameException when the frame is not a request this build can read
     */
    public static KafkaRequest parse(ByteBuffer frame) {
        if (frame.remaining() < 8) {
            throw new MalformedFrameException("A request frame of " + frame.remaining() + " bytes is too short for a "
                    + "request header");
        }
        short key = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        if (!ApiKeys.hasId(key)) {
            throw new MalformedFrameException("Unknown API key " + key);
        }
        ApiKeys api = ApiKeys.forId(key);
        RequestHeader header;
        try {
            short headerVersion = api.requestHeaderVersion(version);
            header = new RequestHeader(new RequestHeaderData(new ByteBufferAccessor(frame), headerVersion),
                    headerVersion);
        } catch (RuntimeException e) {
            throw new MalformedFrameException("Unreadable request header of " + api + " v" + version, e);
        }
        if (api == ApiKeys.API_VERSIONS && !api.isVersionSupported(version)) {
            // A client newer than this build: answered in v0 with the versions we know, which it then picks from.
            return new KafkaRequest(header, new ApiVersionsRequest(new ApiVersionsRequestData(), (short) 0, version),
                    (short) 0);
        }
        if (!api.isVersionSupported(version)) {
            throw new MalformedFrameException(api + " v" + version + " is not a version kafka-clients "
                    + "can read (" + api.oldestVersion() + ".." + api.latestVersion() + ")");
        }
        try {
            AbstractRequest body = AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(frame)).request;
            return new KafkaRequest(header, body, version);
        } catch (RuntimeException e) {
            throw new MalformedFrameException("Unreadable body of " + api + " v" + version + " (correlation id "
                    + header.correlationId() + ")", e);
        }
    }

    /**
     * {@code response} to {@code request}, framed as {@link #encode} frames it, as buffers that laid end to end are
     * those bytes: the record batches of a Fetch answer are not copied but are views of the answer's own buffers
     * ({@link ResponseParts}), which must then stay untouched until the parts are written.
     */
    public static ByteBuffer[] encodeParts(KafkaRequest request, ApiMessage response) {
        return written(request, response).parts();
    }

    /**
     * {@code response} to {@code request}, framed as {@link #encodeParts} frames it, where the answer may hold
     * {@link ExternalRecords}: the parts are byte buffers and, in their places, those records' payloads, which the
     * caller sends as it sends them.
     */
    public static List<Object> encodeMixed(KafkaRequest request, ApiMessage response) {
        return written(request, response).mixedParts();
    }

    private static ResponseParts written(KafkaRequest request, ApiMessage response) {
        short version = request.responseVersion();
        short headerVersion = request.apiKey().responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.header().correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + response.size(cache, version);
        ResponseParts out = new ResponseParts(4 + size);
        out.writeInt(size);
        header.write(out, cache, headerVersion);
        response.write(out, cache, version);
        return out;
    }

    /** {@code response} to {@code request}, framed: the size, the response header, the body. */
    public static ByteBuffer encode(KafkaRequest request, ApiMessage response) {
        short version = request.responseVersion();
        short headerVersion = request.apiKey().responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(request.header().correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + response.size(cache, version);
        ByteBuffer out = ByteBuffer.allocate(4 + size);
        out.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(out);
        header.write(writer, cache, headerVersion);
        response.write(writer, cache, version);
        return out.flip();
    }
}
