package io.sluice.gateway.web;

import io.sluice.protocol.ErrorCode;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebFluxRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

/**
 * The public API reads its input strictly, so that a typo is an answer rather than a silent default:
 * <ul>
 *   <li>a JSON body field that the request type does not have ({@code "partiton": 2}) is INVALID_REQUEST naming it,
 *       as is a value of the wrong JSON type (a string or a fraction where an integer belongs) — the shared problem
 *       handler words these;</li>
 *   <li>a query parameter that the route does not take ({@code ?max_record=5}) is INVALID_REQUEST naming it and the
 *       parameters the route does take. The route's parameters are its handler method's {@code @RequestParam}s and
 *       those its parameters record takes ({@link QueryBinder}), so the rule can never drift from the code. It is checked when the request is matched to its handler
 *       ({@link StrictMapping}), with each handler's parameter names read once: a model attribute advice would cost
 *       every request a data binder and an argument resolution of its own.</li>
 * </ul>
 * Bodies the gateway parses itself (produce) apply the same rule in their parser. Only the gateway's own controllers
 * are held to this: the actuator's endpoints take their parameters (a metric's {@code tag}) their own way.
 */
@Configuration(proxyBeanMethods = false)
public class StrictInput {

    /** After Sluice's shared conventions (which tolerate unknown fields, for the internal APIs' older readers). */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    static JsonMapperBuilderCustomizer strictPublicJson() {
        return builder -> builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
    }

    @Bean
    static WebFluxRegistrations strictQueryParameters(QueryBinding.Binders binders) {
        return new WebFluxRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new StrictMapping(binders);
            }
        };
    }

    /**
     * The annotated controllers' mapping, refusing a matched request whose query names a parameter not taken — but
     * for Confluent's Schema Registry API, whose clients send the parameters of newer registry versions, which
     * Confluent's registry ignores when it does not know them, and so does this one.
     */
    public static final class StrictMapping extends RequestMappingHandlerMapping {

        private static final String CONFLUENT_API = "io.sluice.gateway.registry";

        private final Map<Method, SortedSet<String>> parameters = new ConcurrentHashMap<>();
        private final QueryBinding.Binders binders;

        StrictMapping(QueryBinding.Binders binders) {
            this.binders = binders;
        }

        @Override
        protected void handleMatch(RequestMappingInfo info, HandlerMethod handler, ServerWebExchange exchange) {
            super.handleMatch(info, handler, exchange);
            if (exchange.getRequest().getQueryParams().isEmpty()
                    || !handler.getBeanType().getPackageName().startsWith("io.sluice.gateway")
                    || handler.getBeanType().getPackageName().equals(CONFLUENT_API)) {
                return;
            }
            refuseUnknownQueryParameters(queryParameters(handler), exchange.getRequest().getQueryParams().keySet());
        }

        /** The query parameters {@code handler} takes, which a request to it may name and no other. */
        public SortedSet<String> queryParameters(HandlerMethod handler) {
            return parameters.computeIfAbsent(handler.getMethod(), method -> StrictInput.queryParameters(handler,
                    binders));
        }
    }

    /**
     * INVALID_REQUEST naming every parameter in {@code given} that is not in {@code known} (sorted, as the message
     * lists them), for the annotated controllers here and for the functional routes, which check their own.
     */
    public static void refuseUnknownQueryParameters(SortedSet<String> known, Set<String> given) {
        List<String> unknown = given.stream().filter(name -> !known.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw ErrorCode.INVALID_REQUEST.exception("Unknown query parameter"
                    + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown.stream().map(name -> "'" + name + "'").toList())
                    + (known.isEmpty() ? "; this route takes none"
                    : "; this route takes " + String.join(", ", known)));
        }
    }

    /**
     * The query parameters a handler method takes: its {@code @RequestParam}s by name, and those of the parameters
     * record it takes ({@link QueryBinder}).
     */
    static SortedSet<String> queryParameters(HandlerMethod handler, QueryBinding.Binders binders) {
        SortedSet<String> names = new TreeSet<>();
        for (Parameter parameter : handler.getMethod().getParameters()) {
            RequestParam param = parameter.getAnnotation(RequestParam.class);
            if (param != null) {
                names.add(!param.name().isEmpty() ? param.name() : !param.value().isEmpty() ? param.value()
                        : parameter.getName());
            }
        }
        binders.addParameters(Arrays.stream(handler.getMethod().getParameterTypes()).<Class<?>>map(t -> t).toList(),
                names);
        return Collections.unmodifiableSortedSet(names);
    }
}
