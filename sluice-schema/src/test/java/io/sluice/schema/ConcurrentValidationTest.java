package io.sluice.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.protocol.schema.SchemaType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One parsed schema validates and converts from many threads at once, with the same answers as from one. */
class ConcurrentValidationTest {

    static final int THREADS = 4;
    static final int ROUNDS = 200;

    @Test
    void sharedSchemasGiveTheSameAnswersOnEveryThread() throws Exception {
        ParsedSchema avro = Schemas.parse(SchemaType.AVRO, AvroSchemaTest.USER);
        ParsedSchema proto = Schemas.parse(SchemaType.PROTOBUF, ProtobufSchemaTest.ORDER);
        ParsedSchema json = Schemas.parse(SchemaType.JSON, JsonSchemaTest.PERSON);
        byte[] avroValue = avro.toBinary("{\"id\":1,\"name\":\"a\",\"email\":{\"string\":\"e\"}}", List.of());
        byte[] protoValue = proto.toBinary("{\"id\":\"o\",\"lines\":[{\"sku\":\"s\"}]}", List.of());
        byte[] jsonValue = "{\"name\":\"n\"}".getBytes(StandardCharsets.UTF_8);
        byte[] badJson = "{\"name\":\"\"}".getBytes(StandardCharsets.UTF_8);

        Callable<Integer> work = () -> {
            int refused = 0;
            for (int i = 0; i < ROUNDS; i++) {
                avro.validate(ByteBuffer.wrap(avroValue), List.of());
                proto.validate(ByteBuffer.wrap(protoValue), List.of());
                json.validate(ByteBuffer.wrap(jsonValue), List.of());
                assertThat(avro.toJson(ByteBuffer.wrap(avroValue), List.of()))
                        .isEqualTo("{\"id\":1,\"name\":\"a\",\"email\":{\"string\":\"e\"}}");
                try {
                    json.validate(ByteBuffer.wrap(badJson), List.of());
                } catch (InvalidPayloadException expected) {
                    refused++;
                }
            }
            return refused;
        };
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(threads.submit(work));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(ROUNDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
