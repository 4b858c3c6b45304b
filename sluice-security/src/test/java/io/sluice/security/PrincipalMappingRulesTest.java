package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka's {@code ssl.principal.mapping.rules}, rule by rule, and bad rules refused when parsed. */
class PrincipalMappingRulesTest {

    private static String name(String rules, String subject) {
        return PrincipalMappingRules.parse(rules).name(subject).orElse(null);
    }

    @Test
    void defaultMapsTheSubjectToItself() {
        assertThat(name("DEFAULT", "CN=alice,OU=clients,O=Example")).isEqualTo("CN=alice,OU=clients,O=Example");
        assertThat(name(null, "CN=alice")).as("no rules are DEFAULT").isEqualTo("CN=alice");
        assertThat(name("  ", "CN=alice")).isEqualTo("CN=alice");
    }

    @Test
    void theFirstRuleWhosePatternMatchesTheWholeSubjectNamesThePrincipal() {
        String rules = "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/, RULE:^CN=(.*?),OU=(.*?),O=(.*?)$/$1@$2/L ,DEFAULT";

        assertThat(name(rules, "CN=kafka1,OU=ServiceUsers,O=Org,C=US")).isEqualTo("kafka1");
        assertThat(name(rules, "CN=Duke,OU=JavaSoft,O=Sun")).isEqualTo("duke@javasoft");
        assertThat(name(rules, "CN=Duke,O=Sun")).as("only DEFAULT matches").isEqualTo("CN=Duke,O=Sun");
        assertThat(name("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/", "CN=Duke,O=Sun")).as("no rule matches").isNull();
        assertThat(name("RULE:CN=Duke/x/", "CN=Duke,O=Sun")).as("a pattern matching part of it only").isNull();
    }

    @Test
    void lowerAndUpperCaseInEnglish() {
        assertThat(name("RULE:^CN=(.*)$/$1/L", "CN=DUKE")).isEqualTo("duke");
        assertThat(name("RULE:^CN=(.*)$/$1/U", "CN=duke-i")).isEqualTo("DUKE-I");
    }

    @Test
    void aBackslashEscapesASlashOrACommaInPatternAndReplacement() {
        assertThat(name("RULE:^CN=(.*)$/users\\/$1/", "CN=alice")).isEqualTo("users/alice");
        assertThat(name("RULE:^O=a\\,b\\/c$/ab/,DEFAULT", "O=a,b/c")).isEqualTo("ab");
    }

    @Test
    void aGroupThePatternDoesNotHaveIsTakenLiterally() {
        assertThat(name("RULE:^CN=(.*)$/$1-$2/", "CN=alice")).isEqualTo("alice-$2");
        assertThat(name("RULE:^CN=(a)(l)(i)(c)(e)(.)(.)(.)(.)(.)(.)(.)$/$123/", "CN=alice1234567"))
                .as("the longest group number that exists: 12, then 3").isEqualTo("73");
        assertThat(name("RULE:^CN=alice$/$1/", "CN=alice")).as("no groups at all").isEqualTo("$1");
        assertThat(name("RULE:^CN=(?<user>.*)$/${user}/", "CN=alice")).as("a named group").isEqualTo("alice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DEFAULTS", "garbage", "RULE:^CN=(.*)$/$1", "RULE:^CN=(.*)$/$1/LU", "RULE:^CN=(.*)$/$1/X",
            "DEFAULT, RULE:x", "RULE:^CN=([a-$/$1/", "RULE:^CN=(.*)$/${user}/", "RULE:^CN=(.*)$/$1\\/", "RULE:^CN=(.*)$/$/"})
    void aMalformedRuleIsRefusedQuotingIt(String rules) {
        assertThatThrownBy(() -> PrincipalMappingRules.parse(rules))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid principal mapping rule `");
    }

    @Test
    void theSettingRefusesABadRuleNamingItself() {
        assertThatThrownBy(() -> new SecurityProperties.Tls(SecurityProperties.ClientAuth.REQUIRED, "RULE:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sluice.security.tls.principal-mapping-rules: Invalid principal mapping rule "
                        + "`RULE:x`");
    }

    @Test
    void emptyRulesBetweenCommasAreSkipped() {
        assertThat(name("RULE:^CN=(.*)$/$1/, ,DEFAULT,", "CN=alice")).isEqualTo("alice");
    }
}
