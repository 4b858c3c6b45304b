package io.sluice.coordinator;

import io.sluice.web.EventLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The coordinator: cluster metadata, elections and the metadata stream, with its state in Redis. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CoordinatorApplication {

    public static void main(String[] args) {
        EventLoops.onePerProcessor();
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
