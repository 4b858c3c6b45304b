package io.sluice.gateway.format;

import io.sluice.gateway.format.MaskingRule.MaskedPart;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The operator's masking rules ({@code sluice.gateway.masking.rules}, docs/api.md#masking), compiled once, and the
 * {@link Masks} each topic's keys, values and header values get: the rules whose topic expression matches the topic's
 * whole name, in the order they were given. A rule that cannot be compiled stops the gateway from starting, naming it.
 * Thread-safe.
 */
public final class MaskingRules {

    public static final MaskingRules NONE = new MaskingRules(List.of());

    private final List<Mask> rules;
    private final List<Pattern> topics;
    private final Map<String, Map<MaskedPart, Masks>> byTopic = new ConcurrentHashMap<>();

    public MaskingRules(List<MaskingRule> configured) {
        List<Mask> rules = new ArrayList<>();
        List<Pattern> topics = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            MaskingRule rule = configured.get(i);
            String name = "sluice.gateway.masking.rules[" + i + "]";
            topics.add(compile(name + ".topics", rule.topics()));
            rules.add(new Mask(rule.parts(), rule.fields().stream().map(field -> path(name, field)).toList(),
                    rule.pattern() == null || rule.pattern().isEmpty() ? null : compile(name + ".pattern",
                            rule.pattern()), rule.action(), rule.replacement()));
        }
        this.rules = List.copyOf(rules);
        this.topics = List.copyOf(topics);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether any rule applies to {@code topic}'s records. */
    public boolean masks(String topic) {
        return !rules.isEmpty() && byTopic.computeIfAbsent(topic, this::forTopic).values().stream()
                .anyMatch(masks -> !masks.isEmpty());
    }

    /** What masks {@code part} of {@code topic}'s records: {@link Masks#NONE} when no rule applies. */
    public Masks masks(String topic, MaskedPart part) {
        if (rules.isEmpty()) {
            return Masks.NONE;
        }
        return byTopic.computeIfAbsent(topic, this::forTopic).get(part);
    }

    private Map<MaskedPart, Masks> forTopic(String topic) {
        Map<MaskedPart, Masks> parts = new EnumMap<>(MaskedPart.class);
        for (MaskedPart part : MaskedPart.values()) {
            List<Mask> applying = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).parts().contains(part) && topics.get(i).matcher(topic).matches()) {
                    applying.add(rules.get(i));
                }
            }
            parts.put(part, applying.isEmpty() ? Masks.NONE : new Masks(applying));
        }
        return parts;
    }

    private static Pattern compile(String setting, String expression) {
        try {
            return Pattern.compile(expression);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(setting + " is not a regular expression: " + e.getDescription()
                    + " in '" + expression + "'", e);
        }
    }

    private static List<String> path(String rule, String field) {
        List<String> names = List.of(field.split("\\.", -1));
        if (field.isBlank() || names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(rule + ".fields: '" + field + "' is not a field path (names separated "
                    + "by dots, * for any)");
        }
        return names;
    }
}
