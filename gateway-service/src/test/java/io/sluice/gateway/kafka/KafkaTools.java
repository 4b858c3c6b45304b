package io.sluice.gateway.kafka;

import io.sluice.testing.Commands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.internals.Exit;

/**
 * Kafka's command-line tools (kafka-tools from Maven Central) run by their main classes: in this JVM, or in a JVM of
 * their own for a tool that ends its JVM itself.
 */
final class KafkaTools {

    private KafkaTools() {
    }

    /** A tool's {@code main}. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
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
    static synchronized ToolRun run(Main main, String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Integer> exits = new ArrayList<>();
        Exit.setExitProcedure((code, message) -> exits.add(code));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            main.run(args);
        } catch (Exception e) {
            throw new AssertionError("kafka tool " + String.join(" ", args) + " failed", e);
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

    /**
     * Runs {@code tool}'s main in a JVM of its own, with this test's classpath, for a tool that calls System.exit or
     * leaves a shutdown hook behind (VerifiableProducer does both). Its standard output, once it ended; its log
     * (warnings and errors, kafka-tool-logback.xml) and standard error go to the test's output.
     */
    static ToolRun runInJvm(Class<?> tool, String... args) {
        List<String> command = javaCommand(tool, args);
        Commands.Run run = Commands.run(command, "", Duration.ofMinutes(3));
        if (!run.ended()) {
            throw new AssertionError(tool.getSimpleName() + " did not end within 3 minutes");
        }
        System.out.println("$ java " + tool.getName() + " " + String.join(" ", args) + "\n" + run.out());
        return new ToolRun(run.exitCode(), run.out(), "");
    }

    /**
     * Starts {@code tool}'s main in a JVM of its own, as {@link #runInJvm} does, without waiting for it: its standard
     * output goes to {@code output}, its log to the test's. The caller ends it by its PID ({@link Process#destroy},
     * SIGTERM, lets a tool with a shutdown hook print its summary) and waits for it.
     */
    static Process startInJvm(Class<?> tool, Path output, String... args) {
        try {
            return new ProcessBuilder(javaCommand(tool, args)).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> javaCommand(Class<?> tool, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=kafka-tool-logback.xml", tool.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
