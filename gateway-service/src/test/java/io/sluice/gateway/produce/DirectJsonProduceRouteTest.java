package io.sluice.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.security.SecurityProperties;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Which requests the produce route on Reactor Netty serves (the rest go to WebFlux, which has them all), when it is on
 * at all, and that it reads a query exactly as WebFlux does: the same parameters reach the same binder.
 */
class DirectJsonProduceRouteTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "POST | /v1/topics/orders/records | application/json | true",
            "POST | /v1/topics/orders/records?acks=all&timeout_ms=5 | application/json | true",
            "POST | /v1/topics/a.b_c-1/records | application/json;charset=UTF-8 | true",
            "POST | /v1/topics/orders/records | APPLICATION/JSON | true",
            "POST | /v1/topics/orders/records | application/x-ndjson | false",
            "POST | /v1/topics/orders/records | text/plain | false",
            "POST | /v1/topics/orders/records | application/problem+json | false",
            "POST | /v1/topics/orders/records | not a type | false",
            "POST | /v1/topics/orders/records | | false",
            "GET | /v1/topics/orders/records | application/json | false",
            "PUT | /v1/topics/orders/records | application/json | false",
            "POST | /v1/topics/ord%65rs/records | application/json | false",
            "POST | /v1/topics/orders/records/ | application/json | false",
            "POST | /v1/topics//records | application/json | false",
            "POST | /v1/topics/a/b/records | application/json | false",
            "POST | //v1/topics/orders/records | application/json | false",
            "POST | /v1/records | application/json | false",
            "POST | /v1/transactions/t/records | application/json | false"})
    void servesOnlyJsonProducesToAPlainTopicName(String method, String uri, String contentType, boolean served) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        assertThat(DirectJsonProduceRoute.served(method, uri, headers)).as("%s %s %s", method, uri, contentType)
                .isEqualTo(served);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Idempotency-Key", "idempotency-key"})
    void leavesIdempotentProducesToWebFlux(String header) {
        HttpHeaders headers = new DefaultHttpHeaders().set("Content-Type", "application/json").set(header, "k1");
        assertThat(DirectJsonProduceRoute.served("POST", "/v1/topics/orders/records", headers)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?", "?acks=all", "?acks", "?acks=", "?acks=1&acks=all", "?a=%20b+c&&d=%C3%A9",
            "?=x&y", "?value_format=string&timeout_ms=100", "?k%26=v%3D", "?x=1=2"})
    void readsTheQueryAsWebFluxDoes(String query) {
        String uri = "/v1/topics/orders/records" + query;
        assertThat(DirectJsonProduceRoute.query(uri))
                .isEqualTo(MockServerHttpRequest.method(HttpMethod.POST, URI.create(uri)).build().getQueryParams());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'' | true",
            "sluice.security.enabled=true | false",
            "sluice.security.cors.allowed-origins=https://console.example.com | false"})
    void isOffWhileAnyFilterHasWorkToDo(String setting, boolean on) {
        Map<String, String> settings = setting.isEmpty() ? Map.of()
                : Map.of(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        SecurityProperties security = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("sluice.security", SecurityProperties.class);
        assertThat(DirectJsonProduceRoute.applies(security)).isEqualTo(on);
    }
}
