/**
 * The formats of a Confluent-compatible schema registry: Avro, Protobuf and JSON Schema, as Confluent's registry and
 * serializers define them. A library with no storage and no REST: the registry and the gateways build on it.
 *
 * <ul>
 *   <li>{@link io.sluice.schema.Schemas#parse} turns a schema text of a {@link io.sluice.protocol.schema.SchemaType} and its
 *       {@link io.sluice.protocol.schema.ResolvedReference}s (looked up by the caller, in dependency order) into a
 *       {@link io.sluice.schema.ParsedSchema}, or throws {@link io.sluice.schema.InvalidSchemaException} (Confluent's
 *       42201) saying why. A parsed schema has the canonical string the registry stores, equality by that string and
 *       the references, and {@code normalize()} for Confluent's {@code normalize=true}.
 *   <li>{@link io.sluice.schema.Compatibility#incompatibilities} says why a new schema may not follow a subject's
 *       previous ones under a {@link io.sluice.protocol.schema.CompatibilityLevel}, one line per reason in the style of
 *       Confluent's {@code verbose=true}; empty when it may.
 *   <li>{@link io.sluice.schema.WireFormat} writes and reads Confluent's framing of a record value (magic byte 0,
 *       schema id, Protobuf message indexes) into a {@link io.sluice.schema.WirePayload}.
 *   <li>{@link io.sluice.schema.ParsedSchema#validate} checks a payload against its schema on the produce path;
 *       {@code toBinary} and {@code toJson} convert between a payload and the JSON an HTTP client sends or reads. Both
 *       throw {@link io.sluice.schema.InvalidPayloadException} saying what is wrong.
 * </ul>
 *
 * <p>Everything here is immutable or stateless and may be called from any thread; a parsed schema prepares its
 * readers, descriptors and validators once. Nothing blocks and nothing reaches the network or the file system: a JSON
 * Schema {@code $ref} resolves to the schema's references and the bundled meta-schemas only, a Protobuf import to the
 * references and protobuf-java's well-known types. Jackson 2 (Avro's) and the libraries' types stay out of the API.
 */
package io.sluice.schema;
