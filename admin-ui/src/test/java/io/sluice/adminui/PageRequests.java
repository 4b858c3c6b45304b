package io.sluice.adminui;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/** What the console's page tests ask of it: a page with the status it must answer, a form posted. */
abstract class PageRequests {

    @Autowired
    WebTestClient web;

    String get(String uri) {
        return page(uri, 200);
    }

    String page(String uri, int status) {
        return web.get().uri(uri).exchange().expectStatus().isEqualTo(status).expectBody(String.class)
                .returnResult().getResponseBody();
    }

    String post(String uri, BodyInserters.FormInserter<String> body, int status) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_FORM_URLENCODED).body(body).exchange()
                .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }

    /** A form of name-value pairs. */
    static BodyInserters.FormInserter<String> form(String... pairs) {
        MultiValueMap<String, String> map = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return BodyInserters.fromFormData(map);
    }
}
