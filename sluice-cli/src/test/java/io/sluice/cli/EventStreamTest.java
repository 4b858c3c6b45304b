package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.EventStream.Event;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventStreamTest {

    @Test
    void eventsAreSeparatedByBlankLinesAndCommentsAreSkipped() throws IOException {
        String text = """
                : keep-alive

                event: record
                id: c1
                data: {"offset":0}

                retry: 2000
                event:error
                data: line one
                data: line two

                data: unnamed
                """;
        try (EventStream events = new EventStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(events.next()).contains(new Event("record", "{\"offset\":0}", "c1"));
            assertThat(events.next()).contains(new Event("error", "line one\nline two", null));
            assertThat(events.next()).isEmpty();
        }
    }

    @Test
    void crLfLineEndsAreLineEndsToo() throws IOException {
        String text = "event: record\r\ndata: x\r\n\r\n";
        try (EventStream events = new EventStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(events.next()).contains(new Event("record", "x", null));
        }
    }
}
