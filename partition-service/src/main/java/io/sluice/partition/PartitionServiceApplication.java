package io.sluice.partition;

import io.sluice.web.EventLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** A partition-service node: replicas of partitions on local disk, as leader or follower. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PartitionServiceApplication {

    public static void main(String[] args) {
        EventLoops.onePerProcessor();
        SpringApplication.run(PartitionServiceApplication.class, args);
    }
}
