package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.protocol.schema.SchemaType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Avro's own writer is the oracle: whatever it writes for a schema with nested and recursive records, arrays, maps,
 * unions and enums, validate accepts, JSON round-trips to the same bytes, and any cut or extended copy is refused.
 */
class AvroPayloadProperties {

    static final String EVENT = """
            {"type": "record", "name": "Event", "namespace": "t", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "score", "type": ["null", "double"]},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attrs", "type": {"type": "map", "values": "int"}},
              {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B", "C"]}},
              {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
                {"name": "flag", "type": "boolean"},
                {"name": "data", "type": "bytes"},
                {"name": "child", "type": ["null", "Inner"]}
              ]}},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                {"name": "sku", "type": "string"},
                {"name": "qty", "type": ["int", "string"]}
              ]}}}
            ]}""";

    static final Schema AVRO = new Schema.Parser().parse(EVENT);
    static final ParsedSchema SCHEMA = Schemas.parse(SchemaType.AVRO, EVENT);

    @Property(tries = 300)
    void validateAcceptsWhatAvrosWriterWritesAndJsonRoundTrips(@ForAll("events") GenericRecord event)
            throws IOException {
        byte[] payload = AvroSchemaTest.write(AVRO, event);

        SCHEMA.validate(ByteBuffer.wrap(payload), List.of());
        String json = SCHEMA.toJson(ByteBuffer.wrap(payload), List.of());
        byte[] again = SCHEMA.toBinary(json, List.of());
        // A map's entries may come back in another order: compare values, not bytes.
        assertThat(again).hasSameSizeAs(payload);
        assertThat(new GenericDatumReader<GenericRecord>(AVRO)
                .read(null, DecoderFactory.get().binaryDecoder(again, null))).isEqualTo(event);
    }

    @Property(tries = 200)
    void everyCutOrExtendedPayloadIsRefused(@ForAll("events") GenericRecord event, @ForAll double where,
            @ForAll byte extra) throws IOException {
        byte[] payload = AvroSchemaTest.write(AVRO, event);
        // Decoding is deterministic and the whole payload is needed: any strict prefix ends inside the value.
        int cut = (int) (Math.abs(where % 1.0) * payload.length);
        byte[] prefix = Arrays.copyOf(payload, Math.min(cut, payload.length - 1));
        byte[] extended = Arrays.copyOf(payload, payload.length + 1);
        extended[payload.length] = extra;

        assertThatThrownBy(() -> SCHEMA.validate(ByteBuffer.wrap(prefix), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
        assertThatThrownBy(() -> SCHEMA.validate(ByteBuffer.wrap(extended), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Provide
    Arbitrary<GenericRecord> events() {
        Schema innerSchema = AVRO.getField("inner").schema();
        Schema itemSchema = AVRO.getField("items").schema().getElementType();
        Arbitrary<String> strings = Arbitraries.strings().alpha().numeric().withChars("äß€ -").ofMaxLength(12);
        Arbitrary<Object> quantities =
                Arbitraries.oneOf(Arbitraries.integers().map(Object.class::cast), strings.map(Object.class::cast));
        Arbitrary<GenericRecord> items = Combinators.combine(strings, quantities)
                .as((sku, qty) -> {
                    GenericRecord item = new GenericData.Record(itemSchema);
                    item.put("sku", sku);
                    item.put("qty", qty);
                    return item;
                });
        Arbitrary<GenericRecord> base = Combinators.combine(
                        Arbitraries.longs(), strings,
                        Arbitraries.doubles().injectNull(0.3),
                        strings.list().ofMaxSize(4),
                        Arbitraries.maps(strings, Arbitraries.integers()).ofMaxSize(4),
                        Arbitraries.of("A", "B", "C"),
                        inner(innerSchema, 3),
                        items.list().ofMaxSize(3))
                .as((id, name, score, tags, attrs, kind, inner, itemList) -> {
                    GenericRecord event = new GenericData.Record(AVRO);
                    event.put("id", id);
                    event.put("name", name);
                    event.put("score", score);
                    event.put("tags", tags);
                    event.put("attrs", Map.copyOf(attrs));
                    event.put("kind", new GenericData.EnumSymbol(AVRO.getField("kind").schema(), kind));
                    event.put("inner", inner);
                    event.put("items", itemList);
                    return event;
                });
        return base;
    }

    private static Arbitrary<GenericRecord> inner(Schema schema, int depth) {
        Arbitrary<GenericRecord> child = depth == 0 ? Arbitraries.just(null) : inner(schema, depth - 1).injectNull(0.5);
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofMaxSize(8),
                        child)
                .as((flag, data, next) -> {
                    GenericRecord inner = new GenericData.Record(schema);
                    inner.put("flag", flag);
                    inner.put("data", ByteBuffer.wrap(data));
                    inner.put("child", next);
                    return inner;
                });
    }
}
