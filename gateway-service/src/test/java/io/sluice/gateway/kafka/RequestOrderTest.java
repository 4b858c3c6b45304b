package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests of one connection may run together, and in what order the others start. */
class RequestOrderTest {

    private final RequestOrder order = new RequestOrder();
    private final List<String> started = new ArrayList<>();

    @Test
    void consecutiveProducesStartTogetherInReadingOrder() {
        admit("produce-1", true);
        admit("produce-2", true);
        admit("produce-3", true);

        assertThat(started).containsExactly("produce-1", "produce-2", "produce-3");
    }

    @Test
    void anyOtherRequestWaitsForEveryRequestBeforeItAndHoldsBackEveryOneAfterIt() {
        admit("produce-1", true);
        admit("produce-2", true);
        admit("metadata", false);
        admit("produce-3", true);
        assertThat(started).containsExactly("produce-1", "produce-2");

        order.done();
        assertThat(started).as("one produce still runs").containsExactly("produce-1", "produce-2");
        order.done();
        assertThat(started).containsExactly("produce-1", "produce-2", "metadata");
        order.done();
        assertThat(started).containsExactly("produce-1", "produce-2", "metadata", "produce-3");
    }

    @Test
    void aProduceAfterAnotherRequestWaitsForIt() {
        admit("fetch", false);
        admit("produce-1", true);
        admit("produce-2", true);
        assertThat(started).containsExactly("fetch");

        order.done();

        assertThat(started).containsExactly("fetch", "produce-1", "produce-2");
    }

    @Test
    void aThrottledProduceHoldsBackTheProducesAfterIt() {
        admit("produce-1", true);
        order.hold();
        admit("produce-2", true);
        assertThat(started).containsExactly("produce-1");

        order.done();

        assertThat(started).containsExactly("produce-1", "produce-2");
        admit("produce-3", true);
        assertThat(started).as("the hold ended with the requests it held").containsExactly("produce-1", "produce-2",
                "produce-3");
    }

    private void admit(String name, boolean produce) {
        order.admit(produce).subscribe(null, null, () -> started.add(name));
    }
}
