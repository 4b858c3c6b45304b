package io.sluice.schema;

/**
 * One reason a reader schema cannot read a writer schema's data: a Confluent-style error type
 * ({@code READER_FIELD_MISSING_DEFAULT_VALUE}, {@code FIELD_KIND_CHANGED}, ...), where in the schema, and a sentence
 * for a person.
 */
record Incompatibility(String errorType, String path, String description) {
}
