package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * protobuf-java is the oracle: whatever it writes for the descriptors built from a .proto text (every scalar type,
 * repeated, packed, map, nested and recursive messages, enums, oneofs), validate accepts and JSON round-trips to the
 * same message.
 */
class ProtobufPayloadProperties {

    static final String ALL_TYPES = """
            syntax = "proto3";
            package t;

            message All {
              double d = 1;
              float f = 2;
              int32 i32 = 3;
              int64 i64 = 4;
              uint32 u32 = 5;
              uint64 u64 = 6;
              sint32 s32 = 7;
              sint64 s64 = 8;
              fixed32 x32 = 9;
              fixed64 x64 = 10;
              sfixed32 sx32 = 11;
              sfixed64 sx64 = 12;
              bool b = 13;
              string s = 14;
              bytes bs = 15;
              repeated int64 packed = 16;
              repeated string names = 17;
              map<string, All> children = 18;
              Color color = 19;
              optional int32 maybe = 20;
              oneof choice {
                string text = 21;
                All nested = 22;
              }
            }

            enum Color {
              RED = 0;
              GREEN = 1;
            }
            """;

    static final ParsedSchema SCHEMA = Schemas.parse(SchemaType.PROTOBUF, ALL_TYPES);
    static final Descriptor ALL = ((ProtobufSchema) SCHEMA).message(List.of());

    @Property(tries = 300)
    void validateAcceptsWhatProtobufJavaWritesAndJsonRoundTrips(@ForAll("messages") DynamicMessage message)
            throws Exception {
        byte[] payload = message.toByteArray();

        SCHEMA.validate(ByteBuffer.wrap(payload), List.of());
        String json = SCHEMA.toJson(ByteBuffer.wrap(payload), List.of());
        assertThat(DynamicMessage.parseFrom(ALL, SCHEMA.toBinary(json, List.of()))).isEqualTo(message);
    }

    @Provide
    Arbitrary<DynamicMessage> messages() {
        return message(2);
    }

    private static Arbitrary<DynamicMessage> message(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().alpha().numeric().withChars("äß€ ").ofMaxLength(8);
        Arbitrary<DynamicMessage> child = depth == 0 ? Arbitraries.just(DynamicMessage.getDefaultInstance(ALL))
                : message(depth - 1);
        return Combinators.combine(
                List.of(
                        Arbitraries.doubles().map(Object.class::cast),
                        Arbitraries.floats().map(Object.class::cast),
                        Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.longs().map(Object.class::cast),
                        Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.longs().map(Object.class::cast),
                        Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.longs().map(Object.class::cast),
                        Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.longs().map(Object.class::cast),
                        Arbitraries.integers().map(Object.class::cast),
                        Arbitraries.longs().map(Object.class::cast),
                        Arbitraries.of(true, false).map(Object.class::cast),
                        strings.map(Object.class::cast),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(ByteString::copyFrom)
                                .map(Object.class::cast),
                        Arbitraries.longs().list().ofMaxSize(4).map(Object.class::cast),
                        strings.list().ofMaxSize(3).map(Object.class::cast),
                        Arbitraries.maps(strings, child).ofMaxSize(2).map(Object.class::cast),
                        Arbitraries.of(0, 1).map(Object.class::cast),
                        Arbitraries.integers().injectNull(0.5).map(Object.class::cast),
                        Arbitraries.oneOf(strings.map(Object.class::cast), child.map(Object.class::cast))
                                .injectNull(0.3)))
                .as(ProtobufPayloadProperties::build);
    }

    private static DynamicMessage build(List<Object> values) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(ALL);
        for (int number = 1; number <= 15; number++) {
            FieldDescriptor field = ALL.findFieldByNumber(number);
            builder.setField(field, values.get(number - 1));
        }
        ((List<?>) values.get(15)).forEach(value -> builder.addRepeatedField(ALL.findFieldByNumber(16), value));
        ((List<?>) values.get(16)).forEach(value -> builder.addRepeatedField(ALL.findFieldByNumber(17), value));
        FieldDescriptor children = ALL.findFieldByNumber(18);
        Descriptor entry = children.getMessageType();
        ((Map<?, ?>) values.get(17)).forEach((key, value) -> builder.addRepeatedField(children,
                DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByNumber(1), key)
                        .setField(entry.findFieldByNumber(2), value)
                        .build()));
        builder.setField(ALL.findFieldByNumber(19),
                ALL.getFile().findEnumTypeByName("Color").findValueByNumber((Integer) values.get(18)));
        if (values.get(19) != null) {
            builder.setField(ALL.findFieldByNumber(20), values.get(19));
        }
        Object choice = values.get(20);
        if (choice instanceof String text) {
            builder.setField(ALL.findFieldByNumber(21), text);
        } else if (choice != null) {
            builder.setField(ALL.findFieldByNumber(22), choice);
        }
        return builder.build();
    }
}
