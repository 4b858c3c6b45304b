package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionTest {

    @TempDir
    Path home;

    @Test
    void withNothingGivenTheLocalGatewayWithoutCredentials() {
        Connection connection = Connection.resolve(new ClientOptions(), Map.of(), home);

        assertThat(connection).isEqualTo(new Connection(URI.create("http://127.0.0.1:8080"), Optional.empty(),
                Optional.empty()));
    }

    @Test
    void anOptionWinsOverTheEnvironmentWhichWinsOverTheProfile() throws IOException {
        writeProfiles("default.url=https://from-profile:8443\n");
        ClientOptions options = new ClientOptions();

        assertThat(Connection.resolve(options, Map.of(), home).url()).hasToString("https://from-profile:8443");
        assertThat(Connection.resolve(options, Map.of("SLUICE_URL", "http://from-env/"), home).url())
                .hasToString("http://from-env");
        options.url = "http://from-option:1";
        assertThat(Connection.resolve(options, Map.of("SLUICE_URL", "http://from-env"), home).url())
                .hasToString("http://from-option:1");
    }

    @Test
    void aNamedProfileGivesUrlUserPasswordFileAndCaFileRelativeToTheFile() throws IOException {
        writeProfiles("""
                prod.url=https://sluice.example.com
                prod.user=alice
                prod.password-file=prod-password
                prod.ca-file=ca.pem
                """);
        Files.writeString(home.resolve(".config/sluice/prod-password"), "s3cret\n", StandardCharsets.UTF_8);
        ClientOptions options = new ClientOptions();
        options.profile = "prod";

        Connection connection = Connection.resolve(options, Map.of(), home);

        assertThat(connection.url()).hasToString("https://sluice.example.com");
        assertThat(connection.authorization()).contains(basic("alice:s3cret"));
        assertThat(connection.caFile()).contains(home.resolve(".config/sluice/ca.pem").toAbsolutePath());
    }

    @Test
    void aUserWithAColonCarriesItsPasswordAndATokenIsABearer() {
        ClientOptions options = new ClientOptions();
        options.user = "admin:pw:with:colons";
        assertThat(Connection.resolve(options, Map.of(), home).authorization()).contains(basic("admin:pw:with:colons"));

        assertThat(Connection.resolve(new ClientOptions(), Map.of("SLUICE_TOKEN", "eyJ.x.y"), home).authorization())
                .contains("Bearer eyJ.x.y");
    }

    @Test
    void whenTheSettingsDoNotMakeAConnectionShouldSayWhy() throws IOException {
        ClientOptions noPassword = new ClientOptions();
        noPassword.user = "alice";
        assertThatIllegalArgumentException().isThrownBy(() -> Connection.resolve(noPassword, Map.of(), home))
                .withMessageContaining("No password for user alice");

        ClientOptions both = new ClientOptions();
        both.user = "alice:pw";
        both.token = "t";
        assertThatIllegalArgumentException().isThrownBy(() -> Connection.resolve(both, Map.of(), home))
                .withMessageContaining("not both");

        ClientOptions ftp = new ClientOptions();
        ftp.url = "ftp://x";
        assertThatIllegalArgumentException().isThrownBy(() -> Connection.resolve(ftp, Map.of(), home))
                .withMessageContaining("must be http:// or https://");

        writeProfiles("default.url=http://x\n");
        ClientOptions unknown = new ClientOptions();
        unknown.profile = "staging";
        assertThatIllegalArgumentException().isThrownBy(() -> Connection.resolve(unknown, Map.of(), home))
                .withMessageContaining("No profile staging in");
    }

    private void writeProfiles(String text) throws IOException {
        Path file = home.resolve(".config/sluice/profiles.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
