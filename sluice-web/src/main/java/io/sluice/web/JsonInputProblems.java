package io.sluice.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * What was wrong with a JSON body, said in the client's terms: the field by its JSON path ({@code records[2].key}),
 * never a Java class. An unknown field is named with the fields that are known there; a value of the wrong type is
 * named with the type expected; unparseable JSON with its line and column.
 */
final class JsonInputProblems {

    private JsonInputProblems() {
    }

    static String describe(JacksonException e) {
        String field = path(e.getPath());
        if (e instanceof PropertyBindingException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "Unknown field '" + field + "'" + (known == null || known.isEmpty() ? ""
                    : "; the fields here are " + String.join(", ", new TreeSet<>(known.stream().map(String::valueOf).toList())));
        }
        if (e instanceof MismatchedInputException mismatch && !field.isEmpty()) {
            String given = e instanceof InvalidFormatException invalid && invalid.getValue() != null
                    ? ", was '" + invalid.getValue() + "'" : "";
            return "Field '" + field + "' must be " + expected(mismatch.getTargetType()) + given;
        }
        if (e instanceof StreamReadException) {
            TokenStreamLocation at = e.getLocation();
            return "Malformed JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage();
        }
        return "The request body cannot be read" + (field.isEmpty() ? "" : " at '" + field + "'") + ": "
                + e.getOriginalMessage();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants()).stream().map(String::valueOf).toList();
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "of another type";
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
