package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import io.sluice.protocol.schema.ResolvedReference;
import io.sluice.protocol.schema.SchemaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** .proto texts parse as wire parses them, build descriptors that decode payloads, and convert to and from JSON. */
class ProtobufSchemaTest {

    static final String ORDER = """
            syntax = "proto3";
            package shop;

            import "google/protobuf/timestamp.proto";

            message Order {
              string id = 1;
              repeated Line lines = 2;
              map<string, int64> counts = 3;
              google.protobuf.Timestamp placed_at = 4;
              Status status = 5;
              optional string note = 6;
              oneof payment {
                string card = 7;
                string voucher = 8;
              }

              message Line {
                string sku = 1;
                int32 quantity = 2;
              }
            }

            enum Status {
              UNKNOWN = 0;
              PLACED = 1;
            }

            message Refund {
              string order_id = 1;
            }
            """;

    static ParsedSchema proto(String text, ResolvedReference... references) {
        return Schemas.parse(SchemaType.PROTOBUF, text, List.of(references));
    }

    static Descriptor descriptor(ParsedSchema schema, List<Integer> indexes) {
        return ((ProtobufSchema) schema).message(indexes);
    }

    @Test
    void aProtoFileParsesAndPrintsAsWireDoes() {
        ParsedSchema schema = proto(ORDER);

        assertThat(schema.type()).isEqualTo(SchemaType.PROTOBUF);
        assertThat(schema.canonicalString()).startsWith("syntax = \"proto3\";").contains("package shop;")
                .contains("message Order {").contains("map<string, int64> counts = 3;")
                .contains("import \"google/protobuf/timestamp.proto\";");
        assertThat(proto(schema.canonicalString())).isEqualTo(schema);
    }

    @Test
    void layoutAndCommentsAsideTheSameFileIsEqual() {
        String squeezed = ORDER.replace("\n\n", "\n").replace("  ", " ");

        assertThat(proto(squeezed)).isEqualTo(proto(ORDER));
    }

    @Test
    void normalizeOrdersFieldsAndOptionsButKeepsMessageOrder() {
        String one = """
                syntax = "proto3";
                option java_package = "a.b";
                option java_multiple_files = true;
                message A { int32 y = 2; string x = 1; }
                message B { bool z = 1; }
                """;
        String other = """
                syntax = "proto3";
                option java_multiple_files = true;
                option java_package = "a.b";
                message A { string x = 1; int32 y = 2; }
                message B { bool z = 1; }
                """;

        assertThat(proto(one)).isNotEqualTo(proto(other));
        assertThat(proto(one).normalize()).isEqualTo(proto(other).normalize());
        assertThat(proto(one).normalize().messageIndexes("B")).containsExactly(1);
    }

    @Test
    void syntaxErrorsAndUnknownTypesAreRefusedClearly() {
        assertThatThrownBy(() -> proto("message A { int32 x = ; }"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageStartingWith("The schema is not a valid .proto file");
        assertThatThrownBy(() -> proto("syntax = \"proto3\"; message A { Missing m = 1; }"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("Missing");
        assertThatThrownBy(() -> proto("syntax = \"proto3\"; enum E { ONE = 1; } message A { E e = 1; }"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("first value of a proto3 enum must be 0");
        assertThatThrownBy(() -> proto("syntax = \"proto3\"; message A { int32 x = 1; int32 y = 1; }"))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("1");
    }

    @Test
    void anImportIsResolvedFromTheReferences() {
        ResolvedReference money = new ResolvedReference("money.proto", "money-value", 2, """
                syntax = "proto3";
                package finance;
                message Money { string currency = 1; int64 units = 2; }
                """);
        String invoice = """
                syntax = "proto3";
                package billing;
                import "money.proto";
                message Invoice { finance.Money total = 1; }
                """;

        ParsedSchema schema = proto(invoice, money);

        byte[] payload = schema.toBinary("{\"total\":{\"currency\":\"EUR\",\"units\":\"12\"}}", List.of());
        assertThat(schema.toJson(ByteBuffer.wrap(payload), List.of()))
                .isEqualTo("{\"total\":{\"currency\":\"EUR\",\"units\":\"12\"}}");
        assertThatThrownBy(() -> proto(invoice))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("money.proto");
    }

    @Test
    void referencesMayImportEarlierReferences() {
        ResolvedReference money = new ResolvedReference("money.proto", "money-value", 1,
                "syntax = \"proto3\"; package finance; message Money { string currency = 1; int64 units = 2; }");
        ResolvedReference price = new ResolvedReference("price.proto", "price-value", 4,
                "syntax = \"proto3\"; package shop; import \"money.proto\"; "
                        + "message Price { finance.Money amount = 1; }");
        String item = "syntax = \"proto3\"; package shop; import \"price.proto\"; message Item { Price price = 1; }";

        ParsedSchema schema = proto(item, money, price);

        assertThat(schema.toJson(ByteBuffer.wrap(schema.toBinary("{\"price\":{\"amount\":{\"units\":\"5\"}}}",
                List.of())), List.of())).isEqualTo("{\"price\":{\"amount\":{\"units\":\"5\"}}}");
        assertThat(schema.normalize().references()).containsExactly(money, price);
        assertThatThrownBy(() -> proto(item, price, money))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining("'price.proto' (subject 'price-value' version 4)")
                .hasMessageContaining("money.proto");
    }

    @Test
    void messageIndexesSelectNestedMessagesAndNamesFindThem() {
        ParsedSchema schema = proto(ORDER);

        assertThat(descriptor(schema, List.of()).getFullName()).isEqualTo("shop.Order");
        assertThat(descriptor(schema, List.of(0, 0)).getFullName()).isEqualTo("shop.Order.Line");
        assertThat(descriptor(schema, List.of(1)).getFullName()).isEqualTo("shop.Refund");
        assertThat(schema.messageIndexes("shop.Order.Line")).containsExactly(0, 0);
        assertThat(schema.messageIndexes("Refund")).containsExactly(1);
        assertThatThrownBy(() -> schema.validate(ByteBuffer.allocate(0), List.of(2)))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("[2]");
        assertThatThrownBy(() -> schema.messageIndexes("Nope")).isInstanceOf(InvalidPayloadException.class);
        assertThat(schema.recordName(List.of(0, 0))).isEqualTo("shop.Order.Line");
        assertThat(schema.recordName(List.of())).isEqualTo("shop.Order");
    }

    @Test
    void recordNamesAreWhatRecordNameStrategyNamesSubjectsAfter() {
        assertThat(Schemas.parse(SchemaType.AVRO, "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":"
                + "\"shop\",\"fields\":[]}").recordName(List.of())).isEqualTo("shop.Order");
        assertThat(Schemas.parse(SchemaType.AVRO, "\"string\"").recordName(List.of())).isEqualTo("string");
        assertThat(Schemas.parse(SchemaType.JSON, "{\"title\":\"Task\",\"type\":\"object\"}")
                .recordName(List.of())).isEqualTo("Task");
        assertThat(Schemas.parse(SchemaType.JSON, "{\"type\":\"object\"}").recordName(List.of()))
                .isEqualTo("record");
    }

    @Test
    void jsonToBinaryToJsonRoundTripsWithMapsWellKnownTypesEnumsAndOneofs() {
        ParsedSchema schema = proto(ORDER);
        String json = "{\"id\":\"o-1\",\"lines\":[{\"sku\":\"s\",\"quantity\":2}],\"counts\":{\"a\":\"3\"},"
                + "\"placedAt\":\"2024-01-02T03:04:05Z\",\"status\":\"PLACED\",\"note\":\"\",\"voucher\":\"v\"}";

        byte[] payload = schema.toBinary(json, List.of());

        schema.validate(ByteBuffer.wrap(payload), List.of());
        assertThat(schema.toJson(ByteBuffer.wrap(payload), List.of())).isEqualTo(json);
    }

    @Test
    void validateAcceptsWhatProtobufJavaWritesForTheIndexedMessage() throws IOException {
        ParsedSchema schema = proto(ORDER);
        Descriptor line = descriptor(schema, List.of(0, 0));
        DynamicMessage message = DynamicMessage.newBuilder(line)
                .setField(line.findFieldByName("sku"), "x")
                .setField(line.findFieldByName("quantity"), 5)
                .build();
        Descriptor order = descriptor(schema, List.of(0));
        DynamicMessage withTimestamp = DynamicMessage.newBuilder(order)
                .setField(order.findFieldByName("placed_at"), Timestamp.newBuilder().setSeconds(9).build())
                .build();

        schema.validate(ByteBuffer.wrap(message.toByteArray()), List.of(0, 0));
        schema.validate(ByteBuffer.wrap(withTimestamp.toByteArray()), List.of());
    }

    @Test
    void aFieldInTheWrongWireTypeIsRefused() throws IOException {
        ParsedSchema schema = proto(ORDER);
        // Field 2 of Line (quantity, an int32) written as a length-delimited string.
        byte[] payload = write(out -> out.writeBytes(2, ByteString.copyFromUtf8("five")));

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(payload), List.of(0, 0)))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("quantity").hasMessageContaining("int32");
    }

    @Test
    void aFieldInTheWrongWireTypeInsideANestedMessageIsRefused() throws IOException {
        ParsedSchema schema = proto(ORDER);
        byte[] line = write(out -> out.writeFixed64(2, 5L));
        byte[] order = write(out -> out.writeByteArray(2, line));

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(order), List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("lines.quantity");
    }

    @Test
    void unknownFieldNumbersFromANewerWriterAreAccepted() throws IOException {
        ParsedSchema schema = proto(ORDER);

        schema.validate(ByteBuffer.wrap(write(out -> out.writeInt32(99, 1))), List.of(0, 0));
    }

    @Test
    void truncatedAndGarbagePayloadsAreRefused() throws IOException {
        ParsedSchema schema = proto(ORDER);
        byte[] payload = schema.toBinary("{\"id\":\"order-1\"}", List.of());

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(Arrays.copyOf(payload, payload.length - 1)),
                List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("shop.Order");
        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(new byte[] {0}), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff}), List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void aMissingProto2RequiredFieldIsRefused() {
        ParsedSchema schema = proto("syntax = \"proto2\"; message A { required int32 x = 1; optional int32 y = 2; }");

        assertThatThrownBy(() -> schema.validate(ByteBuffer.wrap(new byte[] {16, 1}), List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("x");
        assertThatThrownBy(() -> schema.toBinary("{\"y\": 1}", List.of()))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void jsonThatIsNotTheMessageIsRefusedClearly() {
        ParsedSchema schema = proto(ORDER);

        assertThatThrownBy(() -> schema.toBinary("{\"nope\": 1}", List.of()))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("shop.Order").hasMessageContaining("nope");
        assertThatThrownBy(() -> schema.toBinary("{\"quantity\": \"many\"}", List.of(0, 0)))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("shop.Order.Line");
    }

    interface Writes {
        void to(CodedOutputStream out) throws IOException;
    }

    static byte[] write(Writes writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writes.to(out);
        out.flush();
        return bytes.toByteArray();
    }
}
