package io.sluice.internal.broker;

import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The live Kafka brokers, as gateways see them through the coordinator. Gateways are the brokers Kafka clients talk
 * to; each announces its listener and learns of the others from the answer. The call fails with a
 * {@link io.sluice.protocol.SluiceException} carrying the coordinator's error code (DUPLICATE_NODE: another address
 * holds the broker id).
 */
public interface BrokerApi {

    /** Announces {@code announcement}'s broker and answers every live one (itself included), by broker id. */
    Mono<List<BrokerEndpoint>> announce(BrokerAnnouncement announcement);

    /** Every live broker, by broker id (what partition services forward the requests they do not serve to). */
    Mono<List<BrokerEndpoint>> brokers();
}
