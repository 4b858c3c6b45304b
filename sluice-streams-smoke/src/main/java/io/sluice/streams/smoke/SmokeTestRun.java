package io.sluice.streams.smoke;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.tests.SmokeTestDriver;

/**
 * Kafka's Streams smoke test driver ({@link SmokeTestDriver} from the kafka-streams test jar) with an input of a size
 * the caller chooses. Kafka's own entry point, {@code StreamsSmokeTest <properties> run}, fixes the input at 20 keys of
 * 1,000 records each, spread over 90 s so that a system test has time to bounce its processing clients; this one calls
 * the same two steps of the driver with the counts given: {@code generate} writes the input to {@code data} and
 * {@code fk}, then {@code verify} reads every output topic read_committed and prints its report, ending in the
 * driver's verdict, {@code SUCCESS} or {@code FAILURE}, on a line of its own. It exits 0 either way, as Kafka's does:
 * the verdict is the printed line.
 *
 * <p>Arguments: {@code <properties file> <keys> <records per key> <seconds to spend writing>}; the properties file
 * holds {@code bootstrap.servers} and {@code processing.guarantee}, as {@code StreamsSmokeTest}'s does.
 */
public final class SmokeTestRun {

    private SmokeTestRun() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: SmokeTestRun <properties file> <keys> <records per key> <seconds to spend"
                    + " writing>");
            System.exit(2);
        }
        Properties properties = Utils.loadProps(args[0]);
        String kafka = properties.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        boolean exactlyOnce = StreamsConfig.EXACTLY_ONCE_V2.equals(
                properties.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        int keys = Integer.parseInt(args[1]);
        int recordsPerKey = Integer.parseInt(args[2]);
        Map<String, Set<Integer>> input = SmokeTestDriver.generate(kafka, keys, recordsPerKey,
                Duration.ofSeconds(Long.parseLong(args[3])));
        SmokeTestDriver.verify(kafka, input, recordsPerKey, exactlyOnce);
    }
}
