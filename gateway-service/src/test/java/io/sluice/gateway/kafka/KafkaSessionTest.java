package io.sluice.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection's per-API state: one of each type, made on first use, released once when the connection ends. */
class KafkaSessionTest {

    private final KafkaSession session = new KafkaSession(1, new InetSocketAddress("127.0.0.1", 1), false);
    private final List<String> released = new ArrayList<>();

    private static final class Held {
        final String name;

        Held(String name) {
            this.name = name;
        }
    }

    @Test
    void stateIsMadeOnFirstUseAndKeptForTheConnection() {
        Held first = session.state(Held.class, () -> new Held("first"), held -> released.add(held.name));
        Held again = session.state(Held.class, () -> new Held("second"), held -> released.add(held.name));

        assertThat(again).isSameAs(first);
        assertThat(released).as("nothing released while the connection lives").isEmpty();
    }

    @Test
    void whenTheConnectionEndsItsStateIsReleasedOnce() {
        session.state(Held.class, () -> new Held("held"), held -> released.add(held.name));
        session.state(StringBuilder.class, StringBuilder::new);

        session.closed();
        session.closed();

        assertThat(released).containsExactly("held");
    }

    @Test
    void stateMadeAfterTheConnectionEndedIsReleasedAtOnce() {
        session.closed();

        Held late = session.state(Held.class, () -> new Held("late"), held -> released.add(held.name));

        assertThat(late.name).isEqualTo("late");
        assertThat(released).containsExactly("late");
    }
}
