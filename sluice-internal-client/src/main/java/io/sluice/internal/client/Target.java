package io.sluice.internal.client;

import io.sluice.internal.metadata.NodeInfo;
import io.sluice.protocol.ErrorCode;
import java.net.URI;

/**
 * Where a call goes: a base URL, the name of its circuit breaker (one per target), and the error a caller sees when
 * the target cannot be reached — LEADER_NOT_AVAILABLE for a partition node (re-route after a metadata refresh),
 * COORDINATOR_NOT_AVAILABLE for a coordinator instance (try another).
 */
record Target(String name, URI baseUrl, ErrorCode unreachable) {

    static Target node(NodeInfo node) {
        return new Target("node-" + node.id(), URI.create(node.url()), ErrorCode.LEADER_NOT_AVAILABLE);
    }

    static Target coordinator(URI url) {
        return new Target("coordinator-" + url.getHost() + ":" + url.getPort(), url, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }

    String url(String path) {
        return baseUrl.resolve(path).toString();
    }

    @Override
    public String toString() {
        return name + " at " + baseUrl;
    }
}
