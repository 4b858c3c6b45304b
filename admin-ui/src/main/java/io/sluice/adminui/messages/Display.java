package io.sluice.adminui.messages;

import java.util.Locale;

/** How the message browser shows keys and values, and the format it asks the gateway for to do it. */
enum Display {
    /** JSON when the bytes are JSON (pretty-printed), else text, else base64: the gateway's fallback. */
    JSON("json"),
    /**
     * Decoded with the registered schema the Confluent wire format's id names (Avro, Protobuf, JSON Schema), shown as
     * pretty JSON with the schema's id; anything else as under {@link #JSON}.
     */
    SCHEMA("schema"),
    STRING("string"),
    BASE64("binary"),
    HEX("binary");

    private final String apiFormat;

    Display(String apiFormat) {
        this.apiFormat = apiFormat;
    }

    String apiFormat() {
        return apiFormat;
    }

    public String param() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Display of(String param) {
        if (param == null || param.isBlank()) {
            return JSON;
        }
        try {
            return valueOf(param.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return JSON;
        }
    }
}
