package io.sluice.partition;

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
        SpringApplication.run(PartitionServiceApplication.class, args);
    }
}
