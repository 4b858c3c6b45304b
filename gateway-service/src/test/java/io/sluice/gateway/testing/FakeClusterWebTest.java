package io.sluice.gateway.testing;

import io.sluice.internal.coordinator.CoordinatorApi;
import io.sluice.internal.partition.PartitionDataApi;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * An in-process gateway on a random port over a {@link FakeCluster} (autowire it to create topics and see what was
 * stored): the whole public API, produce to read, without starting a process. One shared application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sluice.gateway.coordinator-urls=http://127.0.0.1:1",
        BadRequests.MAX_REQUEST_SIZE_SETTING,
        "sluice.gateway.consume.sse-heartbeat=1s",
        "logging.level.io.sluice.internal.client=OFF"})
@AutoConfigureWebTestClient(timeout = "PT30S") // not 5 s: a machine that stalls for seconds is slow, not wrong
@Import(FakeClusterWebTest.Cluster.class)
public @interface FakeClusterWebTest {

    @TestConfiguration(proxyBeanMethods = false)
    class Cluster {

        /** The gateway's coordinator and partition leaders ({@link CoordinatorApi}, {@link PartitionDataApi}). */
        @Bean
        @Primary
        FakeCluster fakeCluster() {
            return new FakeCluster();
        }
    }
}
