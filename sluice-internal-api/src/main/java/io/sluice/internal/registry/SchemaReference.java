package io.sluice.internal.registry;

/**
 * A schema's reference to another registered schema, as Confluent's registry models it: {@code name} is how the
 * referring schema names it (Avro: the referenced type's full name; Protobuf: the import path; JSON Schema: the
 * {@code $ref} URI), {@code subject} and {@code version} where the referenced schema is registered.
 */
public record SchemaReference(String name, String subject, int version) {
}
