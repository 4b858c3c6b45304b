package io.sluice.gateway.web;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * How one feature's parameters record is made from a request, bound and checked once: the query parameters it takes
 * and the binding, which reads them (and any header it needs) and refuses what is wrong. A handler method that takes
 * the record gets it made ({@link QueryBinding}); a functional route calls {@link #bind} itself.
 *
 * @param type       the parameters record
 * @param parameters the query parameters it takes: any other is refused
 */
public record QueryBinder<T>(Class<T> type, SortedSet<String> parameters,
                             BiFunction<QueryParameters, HttpHeaders, T> binding) {

    public QueryBinder {
        parameters = Collections.unmodifiableSortedSet(new TreeSet<>(parameters));
    }

    public static <T> QueryBinder<T> of(Class<T> type, Set<String> parameters,
                                        BiFunction<QueryParameters, HttpHeaders, T> binding) {
        return new QueryBinder<>(type, new TreeSet<>(parameters), binding);
    }

    /** The record for a request with {@code query} and {@code headers}; INVALID_REQUEST for what is wrong in them. */
    public T bind(MultiValueMap<String, String> query, HttpHeaders headers) {
        return binding.apply(QueryParameters.of(query, parameters), headers);
    }
}
