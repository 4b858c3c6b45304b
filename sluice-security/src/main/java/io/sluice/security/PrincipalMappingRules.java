package io.sluice.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a client certificate's subject becomes a principal's name: Kafka's {@code ssl.principal.mapping.rules}, with
 * Kafka's syntax and semantics, at every listener that takes client certificates ({@code
 * sluice.security.tls.principal-mapping-rules}).
 *
 * <pre>
 *   rules   := rule ( "," rule )*          whitespace around a rule is ignored; an empty rule is skipped
 *   rule    := "DEFAULT"                    the subject as it is (RFC 2253: CN=alice,OU=clients,O=Example)
 *            | "RULE:" pattern "/" replacement "/" [ "L" | "U" ]
 * </pre>
 *
 * The rules are tried in order; the first whose pattern matches the <em>whole</em> subject names the principal: the
 * subject with the pattern replaced by the replacement (Java's {@code replaceAll}, so {@code $1} is the first group),
 * then lower-cased ({@code L}) or upper-cased ({@code U}) in English. In a pattern or a replacement a backslash
 * escapes the next character ({@code \/} is a slash, {@code \,} a comma), and is kept for the regular expression.
 * A {@code $n} past the pattern's groups is taken literally, as Kafka takes it (the longest group number that
 * exists is used first: with 12 groups {@code $123} is group 12 then "3"); so is one in a rule whose pattern has no
 * groups, where Kafka's own mapping fails at the first sign-in. A subject that no rule matches has no principal
 * (Kafka fails such a connection's authentication).
 *
 * <p>Rules are checked when parsed: a malformed rule, a pattern that is no regular expression or a replacement that
 * cannot be applied (a trailing backslash, a {@code ${name}} the pattern does not have) is refused with the rule
 * quoted, so that a bad setting stops the start rather than a sign-in. Immutable and thread-safe.
 */
public final class PrincipalMappingRules {

    /** Kafka's default: every subject maps to itself. */
    public static final String DEFAULT = "DEFAULT";

    // One rule: DEFAULT, RULE:pattern/replacement/[LU] (anything after is caught and refused), or anything else.
    private static final String ONE_RULE = "(DEFAULT)|RULE:((?:\\\\.|[^\\\\/])*)/((?:\\\\.|[^\\\\/])*)/([LU]?).*?|(.*?)";
    private static final Pattern SPLIT = Pattern.compile("\\s*(" + ONE_RULE + ")\\s*(?:,\\s*|$)");
    private static final Pattern PARSE = Pattern.compile(ONE_RULE);
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$(\\d+)");

    private final List<Rule> rules;
    private final String text;

    private PrincipalMappingRules(List<Rule> rules, String text) {
        this.rules = List.copyOf(rules);
        this.text = text;
    }

    /** The rules of {@code text}; null or blank is {@value #DEFAULT}. */
    public static PrincipalMappingRules parse(String text) {
        String rules = text == null || text.isBlank() ? DEFAULT : text.strip();
        List<Rule> parsed = new ArrayList<>();
        Matcher split = SPLIT.matcher(rules);
        while (split.find()) {
            String rule = split.group(1);
            Matcher matcher = PARSE.matcher(rule);
            if (!matcher.lookingAt() || matcher.end() != rule.length()) {
                throw new IllegalArgumentException("Invalid principal mapping rule `" + rule + "`: a rule is DEFAULT "
                        + "or RULE:pattern/replacement/ with L or U at its end, commas between rules");
            }
            if (matcher.group(1) != null) {
                parsed.add(Rule.IDENTITY);
            } else if (matcher.group(2) != null) {
                parsed.add(Rule.of(rule, matcher.group(2), matcher.group(3), matcher.group(4)));
            }
            if (split.end() == rules.length()) {
                break;
            }
        }
        return new PrincipalMappingRules(parsed, rules);
    }

    /** The principal's name {@code subject} (a distinguished name in RFC 2253 form) maps to; empty if no rule does. */
    public Optional<String> name(String subject) {
        for (Rule rule : rules) {
            Optional<String> name = rule.apply(subject);
            if (name.isPresent()) {
                return name;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }

    /** A rule; {@code pattern} null for DEFAULT. */
    private record Rule(Pattern pattern, String replacement, Case toCase) {

        static final Rule IDENTITY = new Rule(null, null, Case.AS_IS);

        static Rule of(String rule, String pattern, String replacement, String toCase) {
            Pattern compiled;
            try {
                compiled = Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("Invalid principal mapping rule `" + rule + "`: its pattern is no "
                        + "regular expression: " + e.getDescription(), e);
            }
            String prepared = literalMissingGroups(replacement, compiled.matcher("").groupCount());
            try {
                sameGroups(compiled).matcher("").replaceAll(prepared);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException("Invalid principal mapping rule `" + rule + "`: its replacement "
                        + "cannot be used: " + e.getMessage(), e);
            }
            return new Rule(compiled, prepared,
                    toCase.equals("L") ? Case.LOWER : toCase.equals("U") ? Case.UPPER : Case.AS_IS);
        }

        /** A pattern that matches the empty text with as many groups, and the same names, as {@code pattern}. */
        private static Pattern sameGroups(Pattern pattern) {
            String[] groups = new String[pattern.matcher("").groupCount() + 1];
            pattern.namedGroups().forEach((name, index) -> groups[index] = "(?<" + name + ">)");
            StringBuilder empty = new StringBuilder();
            for (int i = 1; i < groups.length; i++) {
                empty.append(groups[i] != null ? groups[i] : "()");
            }
            return Pattern.compile(empty.toString());
        }

        Optional<String> apply(String subject) {
            if (pattern == null) {
                return Optional.of(subject);
            }
            Matcher matcher = pattern.matcher(subject);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            matcher.reset();
            String name = matcher.replaceAll(replacement);
            return Optional.of(switch (toCase) {
                case LOWER -> name.toLowerCase(Locale.ENGLISH);
                case UPPER -> name.toUpperCase(Locale.ENGLISH);
                case AS_IS -> name;
            });
        }

        /**
         * {@code replacement} with each {@code $n} that names no group of the pattern escaped, so that it stays
         * literal (Java would throw); a number longer than the groups is shortened from the right first, as Java
         * reads {@code $12} as group 1 then "2" when there is no group 12.
         */
        private static String literalMissingGroups(String replacement, int groups) {
            StringBuilder escaped = new StringBuilder(replacement.length() + 4);
            Matcher reference = GROUP_REFERENCE.matcher(replacement);
            int copied = 0;
            while (reference.find()) {
                String digits = reference.group(1);
                escaped.append(replacement, copied, reference.start());
                if (digits.startsWith("0") || fits(digits, groups)) {
                    escaped.append(reference.group());
                } else {
                    escaped.append("\\$").append(digits);
                }
                copied = reference.end();
            }
            return escaped.append(replacement, copied, replacement.length()).toString();
        }

        /** Whether some leading digits of {@code digits} name a group of the pattern. */
        private static boolean fits(String digits, int groups) {
            for (int length = Math.min(digits.length(), 10); length > 0; length--) {
                if (Long.parseLong(digits.substring(0, length)) <= groups) {
                    return true;
                }
            }
            return false;
        }
    }

    private enum Case { AS_IS, LOWER, UPPER }
}
