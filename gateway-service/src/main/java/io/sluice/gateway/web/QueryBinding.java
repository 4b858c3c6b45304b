package io.sluice.gateway.web;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Handler methods take their feature's parameters record (a read's, a produce's, a group member's) as an argument,
 * made by the feature's {@link QueryBinder} bean: the record is the one place those parameters are named, parsed and
 * checked, for the annotated controllers and the functional routes alike.
 */
@Configuration(proxyBeanMethods = false)
class QueryBinding {

    @Bean
    static Binders queryBinders(ObjectProvider<QueryBinder<?>> binders) {
        return new Binders(binders);
    }

    @Bean
    WebFluxConfigurer queryRecords(Binders binders) {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new Resolver(binders));
            }
        };
    }

    /** The binders by the record they make, read once they all exist. */
    static final class Binders {

        private final ObjectProvider<QueryBinder<?>> provider;
        private volatile Map<Class<?>, QueryBinder<?>> byType;

        Binders(ObjectProvider<QueryBinder<?>> provider) {
            this.provider = provider;
        }

        QueryBinder<?> binder(Class<?> type) {
            Map<Class<?>, QueryBinder<?>> binders = byType;
            if (binders == null) {
                binders = provider.orderedStream().collect(Collectors.toUnmodifiableMap(QueryBinder::type,
                        Function.identity()));
                byType = binders;
            }
            return binders.get(type);
        }

        /** The query parameters the records among {@code types} take. */
        void addParameters(List<Class<?>> types, SortedSet<String> names) {
            for (Class<?> type : types) {
                QueryBinder<?> binder = binder(type);
                if (binder != null) {
                    names.addAll(binder.parameters());
                }
            }
        }
    }

    private record Resolver(Binders binders) implements HandlerMethodArgumentResolver {

        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return binders.binder(parameter.getParameterType()) != null;
        }

        @Override
        public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
                                            ServerWebExchange exchange) {
            QueryBinder<?> binder = binders.binder(parameter.getParameterType());
            return Mono.fromSupplier(() -> binder.bind(exchange.getRequest().getQueryParams(),
                    exchange.getRequest().getHeaders()));
        }
    }
}
