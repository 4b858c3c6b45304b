package io.sluice.internal.partition;

import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary body of a produce answer ({@value #CONTENT_TYPE}), a {@link ProduceResponse}. Big-endian; an empty
 * string is no error (or no message), {@code -1} an absent offset or time (offsets and times are never negative):
 * <pre>
 *   response := resultCount:int32 result*
 *   result   := topicLength:int16 topic:utf8 partition:int32 errorLength:int16 error:utf8
 *               messageLength:int16 message:utf8 baseOffset:int64 lastOffset:int64 logAppendTime:int64
 *               logStartOffset:int64 recordErrorCount:int32 recordError*
 *   recordError := index:int32 messageLength:int16 message:utf8
 * </pre>
 * A message is cut to {@value #MAX_MESSAGE_CHARS} characters.
 */
public final class ProduceResponseCodec {

    public static final String CONTENT_TYPE = "application/vnd.sluice.produce-response";

    static final int MAX_MESSAGE_CHARS = 4096;
    private static final int MIN_RESULT_SIZE = 2 + 4 + 2 + 2 + 4 * 8 + 4;
    private static final int MIN_RECORD_ERROR_SIZE = 4 + 2;

    private ProduceResponseCodec() {
    }

    public static ByteBuffer encode(ProduceResponse response) {
        List<ProduceResponse.PartitionResult> results = response.partitions();
        List<String> messages = new ArrayList<>(results.size());
        int size = 4;
        for (ProduceResponse.PartitionResult r : results) {
            String message = r.message() == null ? "" : r.message();
            if (message.length() > MAX_MESSAGE_CHARS) {
                message = message.substring(0, MAX_MESSAGE_CHARS);
            }
            messages.add(message);
            size += WireStrings.size(r.topic()) + 4 + WireStrings.size(name(r.errorCode()))
                    + WireStrings.size(message) + 4 * 8 + 4;
            for (ProduceResponse.RecordError error : r.recordErrors()) {
                size += 4 + WireStrings.size(cut(error.message()));
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(results.size());
        for (int i = 0; i < results.size(); i++) {
            ProduceResponse.PartitionResult r = results.get(i);
            WireStrings.write(out, r.topic());
            out.putInt(r.partition());
            WireStrings.write(out, name(r.errorCode()));
            WireStrings.write(out, messages.get(i));
            out.putLong(orAbsent(r.baseOffset())).putLong(orAbsent(r.lastOffset()))
                    .putLong(orAbsent(r.logAppendTime())).putLong(orAbsent(r.logStartOffset()));
            out.putInt(r.recordErrors().size());
            for (ProduceResponse.RecordError error : r.recordErrors()) {
                out.putInt(error.index());
                WireStrings.write(out, cut(error.message()));
            }
        }
        return out.flip();
    }

    /** @throws SluiceException INVALID_REQUEST when the body does not parse */
    public static ProduceResponse decode(ByteBuffer body) {
        ByteBuffer in = body.duplicate();
        try {
            int count = WireStrings.count(in, MIN_RESULT_SIZE, "Produce response");
            List<ProduceResponse.PartitionResult> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String topic = WireStrings.read(in);
                int partition = in.getInt();
                String error = WireStrings.read(in);
                String message = WireStrings.read(in);
                Long baseOffset = present(in.getLong());
                Long lastOffset = present(in.getLong());
                Long logAppendTime = present(in.getLong());
                Long logStartOffset = present(in.getLong());
                int errorCount = WireStrings.count(in, MIN_RECORD_ERROR_SIZE, "Record errors");
                List<ProduceResponse.RecordError> recordErrors = new ArrayList<>(errorCount);
                for (int k = 0; k < errorCount; k++) {
                    recordErrors.add(new ProduceResponse.RecordError(in.getInt(), WireStrings.read(in)));
                }
                results.add(new ProduceResponse.PartitionResult(topic, partition,
                        error.isEmpty() ? null : ErrorCode.forName(error), message.isEmpty() ? null : message,
                        baseOffset, lastOffset, logAppendTime, logStartOffset, recordErrors));
            }
            WireStrings.requireEnd(in, "Produce response");
            return new ProduceResponse(results);
        } catch (BufferUnderflowException e) {
            throw ErrorCode.INVALID_REQUEST.exception("Produce response ends early");
        }
    }

    private static String cut(String message) {
        String text = message == null ? "" : message;
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) : text;
    }

    /** A code by its name, the contract's (an unknown name from a newer node reads as UNKNOWN_SERVER_ERROR). */
    private static String name(ErrorCode code) {
        return code == null ? "" : code.name();
    }

    private static long orAbsent(Long value) {
        return value == null ? -1 : value;
    }

    private static Long present(long value) {
        return value == -1 ? null : value;
    }
}
