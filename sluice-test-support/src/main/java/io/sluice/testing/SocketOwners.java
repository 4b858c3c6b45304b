package io.sluice.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Which process of this test opened a loopback TCP connection, read from Linux's {@code /proc}: the connection's
 * client end is a row of {@code /proc/net/tcp} or {@code tcp6} (local port = the accepted socket's remote port, remote
 * port = the listener's port) naming a socket inode, and the process holding that inode has a
 * {@code /proc/<pid>/fd} link {@code socket:[inode]}. Only this JVM and its descendants (the service JVMs the launcher
 * started, their redis-servers) are searched.
 *
 * <p>A process is named by the launcher's marker on its command line ({@code -Dsluice.service=<name>}); this JVM is
 * {@link #TEST}. This lets one proxy per destination tell its callers apart, although every caller was given the
 * same address (a partition service's advertised URL reaches gateways, followers and the coordinator alike).
 *
 * <p>Linux only. The lookup costs a few milliseconds (one read of the socket tables, one read of each candidate's file
 * descriptors), paid once per connection; connections are pooled by every Sluice client. Thread-safe.
 */
final class SocketOwners {

    /** The name of this JVM: the test itself. */
    static final String TEST = "test";
    /** The name of a connection whose owner could not be found (it closed already, or is not ours). */
    static final String UNKNOWN = "unknown";

    private static final String SERVICE_MARKER = "-Dsluice.service=";
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private SocketOwners() {
    }

    /**
     * The name of the process whose socket has local port {@code clientPort} and remote port {@code serverPort}, or
     * {@link #UNKNOWN}.
     */
    static String serviceOf(int clientPort, int serverPort) {
        OptionalLong inode = inode(clientPort, serverPort);
        if (inode.isEmpty()) {
            return UNKNOWN;
        }
        String link = "socket:[" + inode.getAsLong() + "]";
        ProcessHandle self = ProcessHandle.current();
        if (holds(self.pid(), link)) {
            return TEST;
        }
        try (Stream<ProcessHandle> descendants = self.descendants()) {
            return descendants.filter(process -> holds(process.pid(), link)).findFirst()
                    .flatMap(process -> name(process.pid())).orElse(UNKNOWN);
        }
    }

    private static OptionalLong inode(int localPort, int remotePort) {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && fields[1].endsWith(local) && fields[2].endsWith(remote)) {
                    long inode = Long.parseLong(fields[9]);
                    if (inode != 0) {
                        return OptionalLong.of(inode);
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holds(long pid, String link) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static Optional<String> name(long pid) {
        try {
            String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            for (String arg : commandLine.split("\0")) {
                if (arg.startsWith(SERVICE_MARKER)) {
                    return Optional.of(arg.substring(SERVICE_MARKER.length()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
