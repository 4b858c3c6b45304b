package io.sluice.cli;

/** How a key, value or header value is written in JSON (API v1's formats): JSON, a UTF-8 string, or base64. */
enum RecordFormat {
    json, string, binary
}
