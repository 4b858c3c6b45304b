package io.sluice.gateway.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * An in-process gateway on a random port whose coordinator does not run (nothing listens on port 1): it has no
 * metadata, so every topic is unknown, and any call it made to the coordinator would fail with 503. Good for
 * everything the gateway must decide on its own. One shared application context for all such tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sluice.gateway.coordinator-urls=http://127.0.0.1:1",
        BadRequests.MAX_REQUEST_SIZE_SETTING,
        "logging.level.io.sluice.internal.client=OFF"})
@AutoConfigureWebTestClient(timeout = "PT30S") // not 5 s: a machine that stalls for seconds is slow, not wrong
public @interface GatewayWebTest {
}
