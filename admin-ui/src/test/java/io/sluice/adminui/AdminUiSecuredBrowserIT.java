package io.sluice.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.sluice.launcher.ServiceKind;
import io.sluice.testing.SecurityFiles;
import io.sluice.testing.SluiceCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The console in front of a secured gateway, in Chromium: it asks to sign in, refuses a wrong password with one
 * message, shows a signed-in user only the topics the gateway lets that user describe and on a topic's page only the
 * forms the user's ACLs allow, shows a super user everything and the gateway's audit entries, and signing out asks to
 * sign in again.
 */
class AdminUiSecuredBrowserIT {

    private static final String ADMIN_PASSWORD = "ui-admin-" + UUID.randomUUID();
    private static final String ALICE_PASSWORD = "ui-alice-" + UUID.randomUUID();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static SecurityFiles secrets;
    private static SluiceCluster cluster;
    private static Chromium chromium;
    private static Page page;

    @BeforeAll
    static void start() throws IOException {
        chromium = Chromium.launch();
        secrets = SecurityFiles.create("sluice-admin-ui-secured");
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Path users = secrets.write("users", "admin:" + bcrypt.encode(ADMIN_PASSWORD) + "\n"
                + "alice:" + bcrypt.encode(ALICE_PASSWORD) + "\n");
        String clusterSecret = "ui-cluster-" + UUID.randomUUID();
        String importIt = secrets.importArgument(
                "sluice.security.enabled=true",
                "sluice.security.cluster-secret=" + clusterSecret,
                "sluice.security.basic.users-file=" + users,
                "sluice.security.super-users=User:admin",
                "sluice.security.stream-tokens.secret=ui-stream-" + UUID.randomUUID(),
                "sluice.security.acls.refresh-interval=1s");
        cluster = SluiceCluster.builder("AdminUiSecuredBrowserIT").nodes(1).withAdminUi().clusterSecret(clusterSecret)
                .args(ServiceKind.COORDINATOR, importIt)
                .args(ServiceKind.PARTITION, importIt)
                .args(ServiceKind.GATEWAY, importIt)
                .args(ServiceKind.ADMIN_UI, "--sluice.admin-ui.sign-in.enabled=true")
                .readyTimeout(Duration.ofSeconds(150))
                .start();
        page = chromium.newPage();

        for (String topic : new String[] {"ui-shared", "ui-hidden"}) {
            HttpResponse<String> created = api("POST", "/v1/topics",
                    "{\"name\":\"" + topic + "\",\"partition_count\":1,\"replication_factor\":1}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        HttpResponse<String> acl = api("POST", "/v1/acls", "{\"principal\":\"User:alice\",\"resource_type\":\"TOPIC\","
                + "\"resource_name\":\"ui-shared\",\"pattern_type\":\"LITERAL\",\"operation\":\"READ\","
                + "\"permission\":\"ALLOW\"}");
        assertThat(acl.statusCode()).as(acl.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            if (secrets != null) {
                secrets.close();
            }
        }
    }

    @Test
    void aUserSignsInSeesWhatTheGatewayAllowsAndSignsOut() {
        open("/topics");
        that(page.locator("h1")).hasText("Sign in");
        signIn("alice", "not-" + ALICE_PASSWORD);
        that(page.locator("#sign-in .problem")).hasText("Wrong user name or password.");

        signIn("alice", ALICE_PASSWORD);
        that(page.locator("#signed-in")).hasText("alice");
        open("/topics");
        that(page.locator("#topics")).containsText("ui-shared");
        that(page.locator("#topics")).not().containsText("ui-hidden");

        open("/topics/ui-shared");
        that(page.locator("#partitions tbody tr")).hasCount(1);
        that(page.locator("#withheld")).containsText("edit configs (ALTER_CONFIGS)");
        that(page.locator("#delete")).hasCount(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "topic-signed-in.png"))
                .setFullPage(true));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        that(page.locator("h1")).hasText("Sign in");
        open("/topics/ui-shared");
        that(page.locator("h1")).hasText("Sign in");

        signIn("admin", ADMIN_PASSWORD);
        open("/topics/ui-hidden");
        that(page.locator("#delete")).hasCount(1);
        that(page.locator("#withheld")).hasCount(0);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit")).click();
        that(page.locator("#audit")).containsText("POST /v1/acls");
        that(page.locator("#audit")).containsText("User:admin");
    }

    @Test
    void aSuperUserManagesAclsOnTheAccessPageSeesUsersAndQuotasAndFiltersTheAudit() {
        signIn("admin", ADMIN_PASSWORD);
        open("/access");
        that(page.locator("#acls")).containsText("ui-shared");
        that(page.locator("#users")).containsText("User:alice");
        that(page.locator("#super-users")).hasText("User:admin");
        that(page.locator("#quotas")).containsText("super user: no quota");

        page.getByText("Create an ACL").click();
        Locator create = page.locator("#create-acl");
        create.getByLabel("Principal").fill("alice");
        create.getByLabel("Resource name").fill("ui-shared");
        create.getByLabel("Operation").selectOption("WRITE");
        create.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create ACL")).click();
        that(page.locator("#create-acl .problem"))
                .containsText("principal must be 'User:<name>' or 'User:*' (INVALID_ACL)");
        that(page.locator("#create-acl").getByLabel("Principal")).hasValue("alice");
        assertThat(api("GET", "/v1/acls?principal=User:alice&operation=WRITE", "").body()).contains("\"acls\":[]");

        page.locator("#create-acl").getByLabel("Principal").fill("User:alice");
        page.locator("#create-acl").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create ACL"))
                .click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Created: ALLOW User:alice WRITE on TOPIC ui-shared");
        assertThat(api("GET", "/v1/acls?principal=User:alice&operation=WRITE", "").body()).contains("ui-shared");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "access.png"))
                .setFullPage(true));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Delete ALLOW User:alice WRITE on TOPIC ui-shared")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted: ALLOW User:alice WRITE on TOPIC ui-shared");
        assertThat(api("GET", "/v1/acls?principal=User:alice&operation=WRITE", "").body()).contains("\"acls\":[]");

        open("/audit?principal=User:admin&kind=admin");
        that(page.locator("#audit")).containsText("DELETE /v1/acls");
        that(page.locator("#audit")).not().containsText("User:alice");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "audit.png"))
                .setFullPage(true));
        open("/audit?principal=User:nobody");
        that(page.locator("#audit")).containsText("Nothing audited yet");
    }

    @Test
    void aSuperUserSetsAScramCredentialThatSignsInAndDeletesIt() {
        signIn("admin", ADMIN_PASSWORD);
        open("/access");
        that(page.locator("#scram-users")).containsText("No SCRAM users.");
        String carolPassword = "ui-carol-" + UUID.randomUUID();

        page.getByText("Set a SCRAM credential").click();
        Locator set = page.locator("#set-scram");
        set.getByLabel("User").fill("carol");
        set.getByLabel("Mechanism").selectOption("SCRAM-SHA-256");
        set.getByLabel("Password").fill(carolPassword);
        set.getByLabel("Iterations").fill("8192");
        set.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set credential")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Set: SCRAM-SHA-256 credential of User:carol");
        that(page.locator("#scram-users")).containsText("User:carol");
        that(page.locator("#scram-users")).containsText("8192");
        assertThat(page.content()).doesNotContain(carolPassword);
        assertThat(apiAs("carol", carolPassword, "GET", "/v1/topics").statusCode()).isEqualTo(200);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Delete the SCRAM-SHA-256 credential of User:carol")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Deleted: SCRAM-SHA-256 credential of User:carol");
        that(page.locator("#scram-users")).containsText("No SCRAM users.");
        assertThat(apiAs("carol", carolPassword, "GET", "/v1/topics").statusCode()).isEqualTo(401);
    }

    @Test
    void aSuperUserSetsAQuotaForAUsersDefaultClientIdAndRemovesIt() {
        signIn("admin", ADMIN_PASSWORD);
        open("/access");
        that(page.locator("#set-quotas")).hasCount(0);

        page.getByText("Set a quota").click();
        Locator set = page.locator("#set-quota");
        set.getByLabel("User", new Locator.GetByLabelOptions().setExact(true)).fill("bob");
        set.getByLabel("Every user (the default)").check();
        set.getByLabel("Every client id (the default)").check();
        set.getByLabel("Produced bytes/s").fill("1048576");
        set.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set quota")).click();
        that(page.locator("#set-quota .problem")).hasText("Name the user or tick its default, not both");
        assertThat(api("GET", "/v1/quotas", "").body()).contains("\"set\":[]");

        page.locator("#set-quota").getByLabel("Every user (the default)").uncheck();
        page.locator("#set-quota").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Set quota"))
                .click();
        that(page.getByRole(AriaRole.STATUS))
                .hasText("Set: producer_byte_rate=1048576 for user bob, client id (default)");
        that(page.locator("#set-quotas")).containsText("producer_byte_rate=1048576");
        assertThat(api("GET", "/v1/quotas", "").body()).contains("{\"entity\":{\"user\":{\"name\":\"bob\","
                + "\"default\":false},\"client_id\":{\"name\":null,\"default\":true}},\"rates\":"
                + "{\"producer_byte_rate\":1048576.0}}");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "access-quotas.png"))
                .setFullPage(true));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions()
                .setName("Remove the quotas of user bob, client id (default)")).click();
        that(page.getByRole(AriaRole.STATUS)).hasText("Removed: the quotas of user bob, client id (default)");
        that(page.locator("#set-quotas")).hasCount(0);
        assertThat(api("GET", "/v1/quotas", "").body()).contains("\"set\":[]");
    }

    private static void signIn(String user, String password) {
        if (!page.url().contains("/sign-in")) {
            open("/sign-in");
        }
        Locator form = page.locator("#sign-in");
        form.getByLabel("User name").fill(user);
        form.getByLabel("Password").fill(password);
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Sign in")).click();
    }

    private static com.microsoft.playwright.assertions.LocatorAssertions that(Locator locator) {
        return PlaywrightAssertions.assertThat(locator);
    }

    private static void open(String path) {
        page.navigate(cluster.adminUrl().resolve(path).toString());
    }

    private static HttpResponse<String> api(String method, String path, String json) {
        return apiAs("admin", ADMIN_PASSWORD, method, path, json);
    }

    private static HttpResponse<String> apiAs(String user, String password, String method, String path) {
        return apiAs(user, password, method, path, "");
    }

    private static HttpResponse<String> apiAs(String user, String password, String method, String path,
                                              String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(cluster.gatewayUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
