package io.sluice.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * For any setting, parsing either gives rules that map any subject without failing or refuses the setting with the
 * rule quoted; a CN rule picks the CN of any subject; DEFAULT keeps any subject as it is.
 */
class PrincipalMappingProperties {

    @Property(tries = 500)
    void anySettingParsesIntoRulesThatNeverFailOrIsRefusedClearly(@ForAll @StringLength(max = 40) String rules,
                                                                  @ForAll @StringLength(max = 30) String subject) {
        Throwable refused = catchThrowable(() -> PrincipalMappingRules.parse(rules).name(subject));

        if (refused != null) {
            assertThat(refused).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid principal mapping rule `");
        }
    }

    @Property(tries = 200)
    void aRuleMadeOfRulePartsParsesOrIsRefusedClearly(@ForAll("ruleParts") String rules) {
        Throwable refused = catchThrowable(() -> PrincipalMappingRules.parse(rules).name("CN=alice,O=Example"));

        if (refused != null) {
            assertThat(refused).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid principal mapping rule `");
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> ruleParts() {
        return net.jqwik.api.Arbitraries.of("RULE:", "DEFAULT", "/", ",", "$1", "$2", "\\", "(", ")", ".*", "^CN=",
                        "L", "U", " ", "${a}", "(?<a>x)", "[", "$")
                .list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    @Property(tries = 200)
    void aCnRulePicksTheCnOfAnySubject(@ForAll @AlphaChars @NumericChars @NotEmpty @StringLength(max = 20) String cn,
                                       @ForAll @AlphaChars @NotEmpty @StringLength(max = 20) String org) {
        PrincipalMappingRules rules = PrincipalMappingRules.parse("RULE:^CN=([^,]*),.*$/$1/L,DEFAULT");

        assertThat(rules.name("CN=" + cn + ",OU=clients,O=" + org)).contains(cn.toLowerCase(Locale.ENGLISH));
        assertThat(rules.name("O=" + org)).contains("O=" + org);
    }

    @Property(tries = 200)
    void defaultKeepsAnySubject(@ForAll String subject) {
        assertThat(PrincipalMappingRules.parse(PrincipalMappingRules.DEFAULT).name(subject)).contains(subject);
    }
}
