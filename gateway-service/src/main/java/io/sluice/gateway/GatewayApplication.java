package io.sluice.gateway;

import io.sluice.gateway.web.GatewayTransport;
import io.sluice.web.EventLoops;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The public API of Sluice: produce, consume (JSON, NDJSON, SSE) and admin, routed to partition leaders. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        int loops = EventLoops.onePerProcessor();
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        application.addListeners(GatewayTransport.installer(loops));
        application.run(args);
    }
}
