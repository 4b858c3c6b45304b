package io.sluice.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Signing in to the console: pages ask for it, the gateway checks the credentials, each call the console makes for a
 * user carries that user's credentials, forms need the session's CSRF token, signing out ends the session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT30S") // not 5 s: a machine that stalls for seconds is slow, not wrong
class SignInTest {

    private static final FakeGateway GATEWAY = new FakeGateway();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    WebTestClient web;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("sluice.admin-ui.gateway-url", GATEWAY::url);
        registry.add("sluice.admin-ui.sign-in.enabled", () -> "true");
    }

    @AfterAll
    static void stop() {
        GATEWAY.close();
    }

    @BeforeEach
    void gatewayWithOneUser() {
        GATEWAY.reset();
        GATEWAY.user("alice", "s3cret");
        GATEWAY.json("GET", "/v1/cluster", "{}");
        GATEWAY.json("GET", "/v1/topics", "{\"topics\":[]}");
    }

    @Test
    void pagesAskToSignInButHealthAndAssetsDoNot() {
        web.get().uri("/topics").exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/sign-in");
        web.get().uri("/actuator/health").exchange().expectStatus().isOk();
        web.get().uri("/css/console.css").exchange().expectStatus().isOk();
        assertThat(GATEWAY.calls()).isEmpty();
    }

    @Test
    void wrongCredentialsSayOnlyThatAndSignNobodyIn() {
        Session session = Session.open(web);

        String location = session.signIn("alice", "guess");

        assertThat(location).isEqualTo("/sign-in?error=credentials");
        assertThat(session.page(location)).contains("Wrong user name or password.");
        session.expectSignInAsked("/topics");
    }

    @Test
    void aSignedInUsersPagesCallTheGatewayAsThatUser() {
        Session session = Session.open(web);

        assertThat(session.signIn("alice", "s3cret")).isEqualTo("/");
        String topics = session.page("/topics");

        assertThat(topics).contains("Signed in as <b id=\"signed-in\">alice</b>");
        assertThat(GATEWAY.calls()).extracting(FakeGateway.Call::user).containsOnly("alice");
        assertThat(GATEWAY.count("GET", "/v1/topics")).isEqualTo(1);
    }

    @Test
    void formsNeedTheSessionsCsrfToken() {
        Session session = Session.open(web);
        session.signIn("alice", "s3cret");
        GATEWAY.answer("DELETE", "/v1/topics/orders", 204, "application/json", "");

        web.post().uri("/topics/orders/delete").cookie("SESSION", session.cookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form("confirm", "orders"))
                .exchange().expectStatus().isForbidden();
        assertThat(GATEWAY.calls("DELETE")).isEmpty();

        String token = session.csrf(session.page("/topics"));
        web.post().uri("/topics/orders/delete").cookie("SESSION", session.cookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(form("confirm", "orders", "_csrf", token))
                .exchange().expectStatus().is3xxRedirection();
        assertThat(GATEWAY.calls("DELETE")).extracting(FakeGateway.Call::user).containsExactly("alice");
    }

    @Test
    void signingOutEndsTheSession() {
        Session session = Session.open(web);
        session.signIn("alice", "s3cret");
        String token = session.csrf(session.page("/topics"));

        web.post().uri("/sign-out").cookie("SESSION", session.cookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(form("_csrf", token))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/sign-in?signed-out");

        session.expectSignInAsked("/topics");
    }

    @Test
    void aThrottledOrSilentGatewayIsSaidSo() {
        GATEWAY.reset();
        GATEWAY.problem("GET", "/v1/cluster", 429, "THROTTLED", "Too many failed attempts");
        assertThat(Session.open(web).signIn("alice", "s3cret")).isEqualTo("/sign-in?error=throttled");
        assertThat(Session.open(web).page("/sign-in?error=throttled")).contains("Too many failed sign-ins");

        GATEWAY.problem("GET", "/v1/cluster", 503, "COORDINATOR_NOT_AVAILABLE", "No coordinator");
        assertThat(Session.open(web).signIn("alice", "s3cret")).isEqualTo("/sign-in?error=unavailable");
    }

    @Test
    void aUserWhoMayNotDescribeTheClusterStillSignsIn() {
        GATEWAY.reset();
        GATEWAY.problem("GET", "/v1/cluster", 403, "CLUSTER_AUTHORIZATION_FAILED", "Not allowed: describe");

        assertThat(Session.open(web).signIn("bob", "pw")).isEqualTo("/");
    }

    private static BodyInserters.FormInserter<String> form(String... pairs) {
        MultiValueMap<String, String> map = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.add(pairs[i], pairs[i + 1]);
        }
        return BodyInserters.fromFormData(map);
    }

    /** A browser's session: its SESSION cookie, followed across the session id change at sign-in. */
    private static final class Session {

        private final WebTestClient web;
        private String cookie;

        private Session(WebTestClient web) {
            this.web = web;
        }

        static Session open(WebTestClient web) {
            Session session = new Session(web);
            session.page("/sign-in");
            return session;
        }

        String page(String uri) {
            var request = web.get().uri(uri);
            if (cookie != null) {
                request = request.cookie("SESSION", cookie);
            }
            EntityExchangeResult<String> result = request.exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult();
            remember(result);
            return result.getResponseBody();
        }

        /** Posts the sign-in form with the page's CSRF token; the redirect's location. */
        String signIn(String username, String password) {
            String token = csrf(page("/sign-in"));
            EntityExchangeResult<Void> result = web.post().uri("/sign-in").cookie("SESSION", cookie)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form("username", username, "password", password, "_csrf", token))
                    .exchange().expectStatus().is3xxRedirection().expectBody().isEmpty();
            remember(result);
            return result.getResponseHeaders().getLocation().toString();
        }

        void expectSignInAsked(String uri) {
            web.get().uri(uri).cookie("SESSION", cookie).exchange().expectStatus().is3xxRedirection()
                    .expectHeader().valueEquals("Location", "/sign-in");
        }

        String csrf(String page) {
            Matcher matcher = CSRF.matcher(page);
            assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
            return matcher.group(1);
        }

        private void remember(EntityExchangeResult<?> result) {
            var set = result.getResponseCookies().getFirst("SESSION");
            if (set != null) {
                cookie = set.getValue();
            }
        }
    }
}
