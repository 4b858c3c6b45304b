package io.sluice.partition.node;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives a partition service in a Kubernetes StatefulSet its node id from its pod's ordinal: a pod named
 * {@code sluice-partition-2} (its {@code HOSTNAME}) is node 2, on its own volume, through every restart. Only when
 * {@code sluice.partition.node-id} is set nowhere (arguments, environment, files) and the host name ends in
 * {@code -<digits>}; an explicit node id always wins, and the launcher always gives one. The derived value is the
 * last property source, so it is only a default.
 */
public class PodOrdinalNodeId implements EnvironmentPostProcessor {

    static final String NODE_ID = "sluice.partition.node-id";
    static final String SOURCE_NAME = "statefulSetPodOrdinal";

    private static final Pattern ORDINAL = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?-(\\d{1,9})$");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty(NODE_ID)) {
            return;
        }
        ordinal(environment.getProperty("HOSTNAME")).ifPresent(ordinal -> environment.getPropertySources()
                .addLast(new MapPropertySource(SOURCE_NAME, Map.of(NODE_ID, ordinal))));
    }

    /** The ordinal a StatefulSet gives a pod's name ({@code <set name>-<ordinal>}), if {@code hostname} is one. */
    static Optional<Integer> ordinal(String hostname) {
        if (hostname == null) {
            return Optional.empty();
        }
        Matcher matcher = ORDINAL.matcher(hostname);
        return matcher.matches() ? Optional.of(Integer.parseInt(matcher.group(2))) : Optional.empty();
    }
}
