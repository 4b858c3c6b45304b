package io.sluice.gateway.consume;

import io.sluice.gateway.GatewayProperties;
import io.sluice.gateway.web.QueryBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How each kind of read takes its parameters: a page, the stored batches, an endless stream. */
@Configuration(proxyBeanMethods = false)
class ReadParameters {

    @Bean
    QueryBinder<ReadRequest> pageReadParameters(GatewayProperties properties) {
        return QueryBinder.of(ReadRequest.class, ReadRequest.PARAMETERS,
                (query, headers) -> ReadRequest.of(query, headers, properties.consume()));
    }

    @Bean
    QueryBinder<BatchRequest> batchReadParameters(GatewayProperties properties) {
        return QueryBinder.of(BatchRequest.class, BatchRequest.PARAMETERS,
                (query, headers) -> BatchRequest.of(query, headers, properties.consume()));
    }

    @Bean
    QueryBinder<StreamRequest> streamParameters(GatewayProperties properties) {
        return QueryBinder.of(StreamRequest.class, StreamRequest.PARAMETERS,
                (query, headers) -> StreamRequest.of(query, headers, properties.consume()));
    }
}
