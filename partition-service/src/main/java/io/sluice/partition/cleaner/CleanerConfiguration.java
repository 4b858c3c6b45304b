package io.sluice.partition.cleaner;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.log.LogManager;
import io.sluice.partition.PartitionProperties;
import java.io.IOException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Compaction, wired. */
@Configuration(proxyBeanMethods = false)
class CleanerConfiguration {

    /** The log cleaner of compacted topics; the node's life cycle starts it and stops it before the logs close. */
    @Bean
    LogCleanerService logCleanerService(PartitionProperties properties, LogManager logs, Clock clock,
                                        MeterRegistry meters) throws IOException {
        return new LogCleanerService(properties.cleaner(), logs, clock, meters);
    }
}
