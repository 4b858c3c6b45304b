package io.sluice.internal.client;

import io.sluice.internal.SluiceJson;
import io.sluice.protocol.ErrorCode;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** Internal JSON bodies in and out, with Sluice's conventions; an unreadable answer is UNKNOWN_SERVER_ERROR. */
final class JsonBodies {

    private static final JsonMapper JSON = SluiceJson.mapper();

    private JsonBodies() {
    }

    static byte[] write(Object body) {
        return JSON.writeValueAsBytes(body);
    }

    static <T> T read(Target from, byte[] body, Class<T> type) {
        return read(from, body, JSON.getTypeFactory().constructType(type));
    }

    static <T> List<T> readList(Target from, byte[] body, Class<T> element) {
        return read(from, body, JSON.getTypeFactory().constructCollectionType(List.class, element));
    }

    private static <T> T read(Target from, byte[] body, JavaType type) {
        try {
            return JSON.readValue(body, type);
        } catch (JacksonException e) {
            throw ErrorCode.UNKNOWN_SERVER_ERROR.exception(from + " answered with unreadable JSON: " + e.getOriginalMessage());
        }
    }
}
