package io.sluice.gateway.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.internals.Exit;

/** Kafka's command-line tools (kafka-tools from Maven Central) run in this JVM by their main classes. */
final class KafkaTools {

    private KafkaTools() {
    }

    /** What a tool printed and how it ended: the code of its first call to Exit, 0 when it made none. */
    record ToolRun(int exitCode, String out, String err) {
    }

    /**
     * Runs a tool's {@code main}, its output captured and its calls to Exit recorded in place of ending the JVM. The
     * exit procedure returns rather than throws: TopicCommand calls Exit inside a try that catches every Throwable,
     * so a throwing procedure would be reported as the tool's own failure. Its first call is the tool's verdict
     * (TopicCommand's main calls Exit a second time, with 0, after its command has called it). What the tool printed
     * is echoed to the test's output.
     */
    static synchronized ToolRun run(Consumer<String[]> main, String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Integer> exits = new ArrayList<>();
        Exit.setExitProcedure((code, message) -> exits.add(code));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            Exit.resetExitProcedure();
        }
        ToolRun run = new ToolRun(exits.isEmpty() ? 0 : exits.getFirst(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
        stdout.println("$ kafka tool " + String.join(" ", args) + "\n" + run.out() + run.err());
        return run;
    }
}
