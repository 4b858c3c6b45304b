package io.sluice.launcher;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code bin/sluice} invocation:
 * {@code <command> [service] [-f] [--secure] [--option value | --option=value]...}.
 *
 * @param service  only for {@code logs}: the service whose log to show; empty for all
 * @param follow   only for {@code logs}: keep printing what is appended
 * @param secure   only for {@code up}: security and TLS on ({@link SecureMaterial})
 * @param settings the options given, overriding the environment
 */
record CommandLine(Command command, Optional<String> service, boolean follow, boolean secure,
                   Map<Setting, String> settings) {

    enum Command {
        UP, DOWN, STATUS, LOGS, HELP
    }

    CommandLine {
        settings = Map.copyOf(settings);
    }

    /** @throws IllegalArgumentException with a message for the user, when the arguments are not a valid call */
    static CommandLine parse(List<String> args) {
        if (args.contains("--help") || args.contains("-h") || args.contains("help")) {
            return new CommandLine(Command.HELP, Optional.empty(), false, false, Map.of());
        }
        List<String> positional = new ArrayList<>();
        Map<Setting, String> settings = new EnumMap<>(Setting.class);
        boolean follow = false;
        boolean secure = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-f") || arg.equals("--follow")) {
                follow = true;
            } else if (arg.equals("--secure")) {
                secure = true;
            } else if (arg.startsWith("-")) {
                int equals = arg.indexOf('=');
                String option = equals < 0 ? arg : arg.substring(0, equals);
                Setting setting = Setting.ofOption(option)
                        .orElseThrow(() -> new IllegalArgumentException("Unknown option " + option));
                String value;
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new IllegalArgumentException(option + " needs a value: " + option + " "
                            + setting.placeholder());
                }
                settings.put(setting, value);
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("No command given");
        }
        Command command = switch (positional.getFirst()) {
            case "up" -> Command.UP;
            case "down" -> Command.DOWN;
            case "status" -> Command.STATUS;
            case "logs" -> Command.LOGS;
            default -> throw new IllegalArgumentException("Unknown command " + positional.getFirst());
        };
        Optional<String> service = Optional.empty();
        if (command == Command.LOGS && positional.size() == 2) {
            String name = positional.get(1);
            if (ServiceKind.ofServiceName(name).isEmpty()) {
                throw new IllegalArgumentException("Unknown service " + name
                        + " (services: coordinator, partition-<node id>, gateway, admin-ui)");
            }
            service = Optional.of(name);
        } else if (positional.size() > 1) {
            throw new IllegalArgumentException(
                    "Unexpected argument " + positional.get(1) + " after " + positional.getFirst());
        }
        if (follow && command != Command.LOGS) {
            throw new IllegalArgumentException("-f only goes with logs");
        }
        if (secure && command != Command.UP) {
            throw new IllegalArgumentException("--secure only goes with up (status and down find a secure cluster "
                    + "by its base directory)");
        }
        return new CommandLine(command, service, follow, secure, settings);
    }
}
