package io.sluice.gateway.produce;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.web.QueryBinder;
import io.sluice.protocol.ErrorCode;
import io.sluice.protocol.SluiceException;
import io.sluice.web.Problems;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;

/**
 * The steps of {@code POST /v1/topics/{topic}/records} with a JSON body, whichever server route runs them
 * ({@link JsonProduceRoute} on WebFlux, {@link DirectJsonProduceRoute} on Reactor Netty's own routes): the parameters,
 * the body's limit, the records written, and the answer. One implementation, so that both routes answer the same
 * request with the same status and body.
 */
final class JsonProduce {

    private final ProduceService produce;
    private final RecordParser parser;
    private final RecordSchemas schemas;
    private final QueryBinder<ProduceRequest> parameters;
    private final long maxBodyBytes;

    JsonProduce(ProduceService produce, RecordParser parser, RecordSchemas schemas,
                QueryBinder<ProduceRequest> parameters, GatewayProperties.Produce settings) {
        this.produce = produce;
        this.parser = parser;
        this.schemas = schemas;
        this.parameters = parameters;
        this.maxBodyBytes = settings.maxRequestSize().toBytes();
    }

    /** The request's parameters; INVALID_REQUEST for what is wrong in them. */
    ProduceRequest parameters(MultiValueMap<String, String> query, HttpHeaders headers) {
        return parameters.bind(query, headers);
    }

    /** The most bytes a body may have. */
    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Refused from its Content-Length, before anything is read. */
    SluiceException declaredTooLarge(long length) {
        return ErrorCode.REQUEST_TOO_LARGE.exception("The request body is " + length
                + " bytes; this gateway accepts at most " + maxBodyBytes);
    }

    /** Refused while being read (no Content-Length: chunked). */
    SluiceException readTooLarge() {
        return ErrorCode.REQUEST_TOO_LARGE.exception("The request body is larger than " + maxBodyBytes
                + " bytes, the most this gateway accepts");
    }

    static SluiceException noBody() {
        return ErrorCode.INVALID_REQUEST.exception("The request needs a body");
    }

    /** The records of a body, converted with the schemas it names (at once when it names none). */
    Mono<List<ProduceRecord>> records(byte[] body, ProduceRequest given) {
        RecordParser.Parsed<ProduceRecord> parsed = parser.records(body, given.writing());
        return schemas.conversion(parsed.writing()).map(conversion -> conversion.apply(parsed.records()));
    }

    /** The body's records written to {@code topic}, one result each. */
    Mono<ProduceAnswer> write(String topic, ProduceRequest given, byte[] body) {
        return records(body, given)
                .flatMap(records -> produce.produce(topic, records, given.acks(), given.timeout()))
                .map(ProduceAnswer::new);
    }

    /**
     * The answer to send: 200 when every record was written, 207 when some were, and otherwise the first error's
     * problem with every record's result in {@code results}.
     */
    static ResponseEntity<?> answer(ProduceAnswer answer) {
        long failed = answer.failed();
        if (failed == 0 || failed < answer.results().size()) {
            return ResponseEntity.status(failed == 0 ? HttpStatus.OK : HttpStatus.MULTI_STATUS)
                    .contentType(MediaType.APPLICATION_JSON).body(answer);
        }
        RecordResult first = answer.results().getFirst();
        ErrorCode code = first.errorCode();
        ProblemDetail problem = Problems.of(code, first.detail());
        problem.setProperty("results", answer.results());
        return Problems.response(code, problem);
    }
}
