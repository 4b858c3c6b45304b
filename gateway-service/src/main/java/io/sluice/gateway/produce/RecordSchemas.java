package io.sluice.gateway.produce;

import io.sluice.gateway.format.RecordFormat;
import io.sluice.gateway.registry.ParsedSchemas;
import io.sluice.gateway.registry.RegisteredSchema;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.protocol.schema.SchemaType;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Looks up the schemas a produce names ({@link RecordWriting}) and converts its records with them
 * ({@link Conversion}): each key or value, given as JSON and stored by the parser as its JSON text, becomes the
 * schema's binary form in Confluent's wire format (magic byte 0, the schema id, for Protobuf the message indexes, the
 * payload). An unknown id, subject or version is refused with the registry's code (SCHEMA_NOT_FOUND,
 * SUBJECT_NOT_FOUND, SCHEMA_VERSION_NOT_FOUND, 404) naming the parameter; a record whose JSON the schema does not
 * take is INVALID_RECORD naming the record, before anything is written, as every bad record is.
 */
@Component
class RecordSchemas {

    private final ParsedSchemas schemas;

    RecordSchemas(ParsedSchemas schemas) {
        this.schemas = schemas;
    }

    /** The conversion {@code writing} asks for; {@link Conversion#NONE} at once when it names no schema. */
    Mono<Conversion> conversion(RecordWriting writing) {
        if (!writing.anySchema()) {
            return Mono.just(Conversion.NONE);
        }
        return Mono.zip(writer(writing.formats().keys(), writing.keySchema()),
                        writer(writing.formats().values(), writing.valueSchema()))
                .map(both -> new Conversion(both.getT1().orElse(null), both.getT2().orElse(null)));
    }

    private Mono<Optional<Writer>> writer(RecordFormat format, SchemaChoice choice) {
        if (!choice.given()) {
            return Mono.just(Optional.empty());
        }
        Mono<RegisteredSchema> found = choice.id() != null
                ? schemas.schema(choice.id()).map(schema -> new RegisteredSchema(choice.id(), schema))
                : schemas.forSubject(choice.subject(), choice.version());
        return found
                .onErrorMap(SluiceException.class, e -> new SluiceException(e.errorCode(), choice.named() + ": "
                        + e.getMessage()))
                .map(registered -> Optional.of(writer(format, choice, registered)));
    }

    private static Writer writer(RecordFormat format, SchemaChoice choice, RegisteredSchema registered) {
        ParsedSchema schema = registered.schema();
        if (format.schemaType() != null && format.schemaType() != schema.type()) {
            throw ErrorCode.INVALID_REQUEST.exception("The " + choice.half() + " format " + format.wireName()
                    + " conflicts with " + choice.named() + ", schema " + registered.id() + " of type "
                    + schema.type());
        }
        List<Integer> indexes = List.of();
        if (choice.message() != null) {
            if (schema.type() != SchemaType.PROTOBUF) {
                throw ErrorCode.INVALID_REQUEST.exception(choice.half() + "_message picks a message type of a "
                        + "Protobuf schema; " + choice.named() + " is schema " + registered.id() + " of type "
                        + schema.type());
            }
            try {
                indexes = schema.messageIndexes(choice.message());
            } catch (InvalidPayloadException e) {
                throw ErrorCode.INVALID_REQUEST.exception(choice.half() + "_message '" + choice.message() + "': "
                        + e.getMessage());
            }
        }
        return new Writer(choice.half(), registered.id(), schema, indexes);
    }

    /**
     * One half's conversion: its JSON text with {@code schema} to the wire format of schema {@code id}, message
     * indexes {@code messageIndexes} (empty: [0], Protobuf's first message; always empty for the other types).
     */
    record Writer(String half, int id, ParsedSchema schema, List<Integer> messageIndexes) {

        /** The stored bytes of the JSON text {@code json} (null stays null: a tombstone has no schema). */
        byte[] write(byte[] json, int index) {
            if (json == null) {
                return null;
            }
            try {
                byte[] payload = schema.toBinary(new String(json, StandardCharsets.UTF_8), messageIndexes);
                return WireFormat.encode(id, schema.type(), messageIndexes, payload);
            } catch (InvalidPayloadException e) {
                throw ErrorCode.INVALID_RECORD.exception("The " + half + " of record " + index + " does not fit "
                        + "schema " + id + " (" + schema.type() + "): " + e.getMessage());
            }
        }
    }

    /** The conversion of a request's records: of keys, of values, of both or (NONE) of neither. */
    record Conversion(Writer keys, Writer values) {

        static final Conversion NONE = new Conversion(null, null);

        /** Record {@code index} converted (itself when nothing is); INVALID_RECORD when it does not fit. */
        ProduceRecord apply(ProduceRecord record, int index) {
            if (keys == null && values == null) {
                return record;
            }
            byte[] key = keys == null ? record.key() : keys.write(record.key(), index);
            byte[] value = values == null ? record.value() : values.write(record.value(), index);
            return new ProduceRecord(record.partition(), key, value, record.headers(), record.timestamp());
        }

        /** Every record converted, in order; the first that does not fit refuses them all. */
        List<ProduceRecord> apply(List<ProduceRecord> records) {
            if (this == NONE) {
                return records;
            }
            List<ProduceRecord> converted = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                converted.add(apply(records.get(i), i));
            }
            return converted;
        }

        /** As {@link #apply(List)}, for records that name their topics. */
        List<TopicRecord> applyToTopicRecords(List<TopicRecord> records) {
            if (this == NONE) {
                return records;
            }
            List<TopicRecord> converted = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                converted.add(new TopicRecord(records.get(i).topic(), apply(records.get(i).record(), i)));
            }
            return converted;
        }
    }
}
