package io.sluice.gateway.web;

import io.sluice.protocol.ErrorCode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import org.springframework.util.MultiValueMap;

/**
 * One request's query parameters, as the record of the feature that takes them reads them: only the parameters it
 * declared ({@link #of} refuses any other, as {@link StrictInput} words it), each value of its type or
 * INVALID_REQUEST naming the parameter and the value. An empty number or flag is an absent one.
 */
public final class QueryParameters {

    private static final Set<String> TRUE = Set.of("true", "on", "yes", "1");
    private static final Set<String> FALSE = Set.of("false", "off", "no", "0");

    private final MultiValueMap<String, String> given;
    private final SortedSet<String> taken;

    private QueryParameters(MultiValueMap<String, String> given, SortedSet<String> taken) {
        this.given = given;
        this.taken = taken;
    }

    /** The parameters {@code given}, of which {@code taken} are the ones the route takes: any other is refused. */
    public static QueryParameters of(MultiValueMap<String, String> given, SortedSet<String> taken) {
        StrictInput.refuseUnknownQueryParameters(taken, given.keySet());
        return new QueryParameters(given, taken);
    }

    /** The value, null when absent; a parameter given more than once is its values joined by commas. */
    public String text(String name) {
        List<String> values = given.get(declared(name));
        return values == null ? null : String.join(",", values);
    }

    public Integer integer(String name) {
        Long value = whole(name);
        if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw invalid(name, "a whole number of at most " + Integer.MAX_VALUE, Long.toString(value));
        }
        return value == null ? null : value.intValue();
    }

    public Long whole(String name) {
        String value = single(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(name, "a whole number", value);
        }
    }

    public Boolean bool(String name) {
        String value = single(name);
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower) || FALSE.contains(lower)) {
            return TRUE.contains(lower);
        }
        throw invalid(name, "true or false", value);
    }

    /** The one value of a number or a flag, null when absent or empty. */
    private String single(String name) {
        List<String> values = given.get(declared(name));
        if (values == null) {
            return null;
        }
        values = values.stream().filter(value -> value != null && !value.isBlank()).map(String::strip).toList();
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ErrorCode.INVALID_REQUEST.exception(name + " is given " + values.size() + " times; give it once");
        }
        return values.getFirst();
    }

    private String declared(String name) {
        if (!taken.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not among the parameters declared: " + taken);
        }
        return name;
    }

    private static RuntimeException invalid(String name, String expected, String value) {
        return ErrorCode.INVALID_REQUEST.exception(name + " must be " + expected + ", was '" + value + "'");
    }
}
