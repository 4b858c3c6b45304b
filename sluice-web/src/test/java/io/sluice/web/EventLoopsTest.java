package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventLoopsTest {

    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty(EventLoops.IO_WORKER_COUNT);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(EventLoops.IO_WORKER_COUNT);
        } else {
            System.setProperty(EventLoops.IO_WORKER_COUNT, before);
        }
    }

    @Test
    void withoutACountTheServicesRunOneLoopPerProcessor() {
        System.clearProperty(EventLoops.IO_WORKER_COUNT);

        int loops = EventLoops.onePerProcessor();

        assertThat(loops).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(System.getProperty(EventLoops.IO_WORKER_COUNT)).isEqualTo(Integer.toString(loops));
    }

    @Test
    void aCountGivenOnTheCommandLineIsKept() {
        System.setProperty(EventLoops.IO_WORKER_COUNT, " 4");

        assertThat(EventLoops.onePerProcessor()).isEqualTo(4);
        assertThat(System.getProperty(EventLoops.IO_WORKER_COUNT)).isEqualTo(" 4");
    }

    @Test
    void aCountThatIsNotAWholeNumberOfAtLeastOneStopsTheStartNamingTheOption() {
        for (String bad : new String[] {"two", "0", "-1"}) {
            System.setProperty(EventLoops.IO_WORKER_COUNT, bad);

            assertThatThrownBy(EventLoops::onePerProcessor).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("-Dreactor.netty.ioWorkerCount must be a whole number of at least 1, not '" + bad + "'");
            assertThat(System.getProperty(EventLoops.IO_WORKER_COUNT)).as("left as given").isEqualTo(bad);
        }
    }
}
