package io.sluice.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Server-Sent Events from a byte stream that arrives in arbitrary chunks, as an event loop hands them over: bytes are
 * kept until a line ends (LF, CR LF or CR, as the event-stream format allows; a CR LF may be split between chunks),
 * then the line is decoded as UTF-8 (so a character split between chunks is whole again) and given to
 * {@link SseEvents}, which applies the field rules. Not thread-safe: one per stream, fed from one thread.
 */
final class SseDecoder {

    private final SseEvents events = new SseEvents();
    private byte[] line = new byte[256];
    private int length;
    private boolean afterCr;

    /** Feeds the buffer's remaining bytes (it is read to its limit); each event they complete goes to {@code sink}. */
    void feed(ByteBuffer chunk, Consumer<SseEvents.Event> sink) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue; // the LF of a CR LF
                }
            }
            if (b == '\n' || b == '\r') {
                afterCr = b == '\r';
                SseEvents.Event event = events.accept(new String(line, 0, length, StandardCharsets.UTF_8));
                length = 0;
                if (event != null) {
                    sink.accept(event);
                }
            } else {
                if (length == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[length++] = b;
            }
        }
    }
}
