package io.sluice.coordinator.failover;

import io.sluice.coordinator.lease.CoordinatorLease;
import io.sluice.coordinator.lease.LeaseStatus;
import io.sluice.coordinator.metadata.MetadataManager;
import io.sluice.internal.InternalPaths;
import io.sluice.internal.coordinator.CoordinatorPaths;
import io.sluice.protocol.ErrorCode;
import io.sluice.web.Problems;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Only the active coordinator answers the internal API. A standby redirects (307, method and body kept) to the
 * active instance it last saw; with none known, or while the active one is still loading, the answer is 503
 * COORDINATOR_NOT_AVAILABLE, which clients treat as "try another coordinator URL". Every instance answers its own
 * status ({@link CoordinatorPaths#STATUS}), which is how clients find the active one; routes outside
 * {@link InternalPaths#PREFIX} (actuator) always pass.
 */
@Component
class StandbyRedirectFilter implements WebFilter {

    private final CoordinatorLease lease;
    private final MetadataManager metadata;
    private final JsonMapper json;

    StandbyRedirectFilter(CoordinatorLease lease, MetadataManager metadata, JsonMapper json) {
        this.lease = lease;
        this.metadata = metadata;
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!path.startsWith(InternalPaths.PREFIX) || path.equals(CoordinatorPaths.STATUS) || metadata.isReady()) {
            return chain.filter(exchange);
        }
        LeaseStatus status = lease.status();
        if (!status.active() && status.activeCoordinator() != null
                && !status.activeCoordinator().instanceId().equals(lease.instanceId())) {
            URI target = URI.create(status.activeCoordinator().url()).resolve(request.getURI().getRawPath()
                    + (request.getURI().getRawQuery() == null ? "" : "?" + request.getURI().getRawQuery()));
            exchange.getResponse().setStatusCode(HttpStatus.TEMPORARY_REDIRECT);
            exchange.getResponse().getHeaders().set(HttpHeaders.LOCATION, target.toString());
            return exchange.getResponse().setComplete();
        }
        ProblemDetail problem = Problems.of(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                "This coordinator (" + lease.instanceId() + ") is not active and knows no active coordinator yet");
        exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(problem);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }
}
