package io.sluice.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading service logs: the last lines of one (for errors and {@code logs}), and following several as they grow. */
final class LogFiles {

    private static final int MAX_TAIL_BYTES = 1 << 20;

    private LogFiles() {
    }

    /** The last {@code count} lines of a log (fewer if it is shorter), reading at most its last MiB. */
    static List<String> tail(Path log, int count) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_TAIL_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
            if (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A log's last lines, indented, under a heading naming it: the end of a {@link LaunchException} message. */
    static String quoteTail(Path log, int count) {
        List<String> lines = tail(log, count);
        if (lines.isEmpty()) {
            return "\n(" + log + " is empty)";
        }
        StringBuilder out = new StringBuilder("\nLast lines of ").append(log).append(':');
        lines.forEach(line -> out.append("\n    ").append(line));
        return out.toString();
    }

    /**
     * Prints what is appended to the logs until the thread is interrupted (or the JVM exits on Ctrl-C), each line
     * prefixed with its service's name when there are several. A log that shrinks was replaced: it is read again
     * from its start.
     */
    static void follow(Map<String, Path> logs, PrintWriter out) throws InterruptedException {
        Map<String, Long> positions = new LinkedHashMap<>();
        logs.forEach((name, log) -> positions.put(name, size(log)));
        boolean prefix = logs.size() > 1;
        Map<String, StringBuilder> partial = new LinkedHashMap<>();
        while (!Thread.currentThread().isInterrupted()) {
            boolean any = false;
            for (Map.Entry<String, Path> entry : logs.entrySet()) {
                String name = entry.getKey();
                long size = size(entry.getValue());
                long position = positions.get(name);
                if (size < position) {
                    position = 0;
                }
                if (size == position) {
                    continue;
                }
                byte[] chunk = read(entry.getValue(), position, (int) Math.min(size - position, MAX_TAIL_BYTES));
                positions.put(name, position + chunk.length);
                any = true;
                StringBuilder buffer = partial.computeIfAbsent(name, n -> new StringBuilder());
                buffer.append(new String(chunk, StandardCharsets.UTF_8));
                int newline;
                while ((newline = buffer.indexOf("\n")) >= 0) {
                    out.println((prefix ? name + " | " : "") + buffer.substring(0, newline));
                    buffer.delete(0, newline + 1);
                }
            }
            out.flush();
            if (!any) {
                Thread.sleep(250);
            }
        }
    }

    private static long size(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return 0;
        }
    }

    private static byte[] read(Path log, long position, int length) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(position);
            byte[] bytes = new byte[length];
            int read = file.read(bytes);
            return read <= 0 ? new byte[0] : Arrays.copyOf(bytes, read);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
