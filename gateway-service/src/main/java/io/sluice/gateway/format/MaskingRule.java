package io.sluice.gateway.format;

import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One masking rule (docs/api.md#masking).
 *
 * @param topics      a regular expression a topic's whole name must match
 * @param parts       what of a record it masks: {@code key}, {@code value}, {@code headers} (header values); by
 *                    default keys and values
 * @param fields      JSON field paths from the document's root, dot-separated, {@code *} for any field, arrays
 *                    passed through ({@code card.number}, {@code items.price}); none: the whole key or value
 * @param pattern     a regular expression: what it matches is masked (within {@code fields} when given, else in
 *                    every JSON string and number, or the whole text)
 * @param action      {@code replace} with {@code replacement}, or {@code hash}: {@code sha256:} and the hex SHA-256
 *                    of what is masked, equal values giving equal hashes
 * @param replacement what {@code replace} puts in place
 */
public record MaskingRule(@NotBlank String topics,
                          Set<MaskedPart> parts,
                          List<String> fields,
                          String pattern,
                          @DefaultValue("replace") MaskingAction action,
                          @DefaultValue("****") String replacement) {

    public MaskingRule {
        parts = parts == null || parts.isEmpty() ? Set.of(MaskedPart.KEY, MaskedPart.VALUE) : Set.copyOf(parts);
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public enum MaskedPart { KEY, VALUE, HEADERS }

    public enum MaskingAction { REPLACE, HASH }
}
