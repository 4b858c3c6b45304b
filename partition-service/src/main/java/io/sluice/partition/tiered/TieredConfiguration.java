package io.sluice.partition.tiered;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.internal.remote.RemoteLogApi;
import io.sluice.partition.PartitionProperties;
import io.sluice.partition.replica.ReplicaManager;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tiered storage, wired: with {@code sluice.partition.remote-storage.enabled}, the node's {@link TieredStorage} on the
 * configured S3 bucket, its rounds started with the node; without it, {@link RemoteReads#NONE}.
 */
@Configuration(proxyBeanMethods = false)
class TieredConfiguration {

    @Bean
    RemoteReads remoteReads(PartitionProperties properties, ReplicaManager replicas, RemoteLogApi remoteLogs,
                            Clock clock, MeterRegistry meters) throws IOException {
        if (!properties.remoteStorage().enabled()) {
            TieredStorage.registerCopyLag(meters, new AtomicLong());
            return RemoteReads.NONE;
        }
        TieredStorage tiered = new TieredStorage(replicas, remoteLogs,
                S3ObjectStore.create(properties.remoteStorage()), properties, clock, meters);
        tiered.start();
        return tiered;
    }
}
