package io.sluice.adminui.connect;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Kafka Connect's REST answers as the console reads them (Connect's JSON is snake_case, as the console's mapper
 * expects). Fields the pages do not use are left out; unknown ones are ignored.
 */
final class ConnectViews {

    private ConnectViews() {
    }

    /** {@code GET /}: the worker's Kafka version and the id of the Kafka cluster it runs on. */
    record WorkerInfo(String version, String commit, String kafkaClusterId) {
    }

    /** The state the console shows before a connector's workers report one. */
    static final String NOT_REPORTED = "NOT REPORTED YET";

    /** A connector's or a task's state, the worker running it and, when it failed, the worker's stack trace. */
    record State(String state, String workerId, String trace) {

        public boolean failed() {
            return "FAILED".equals(state);
        }
    }

    /** One task's state ({@code tasks[]} of a status). */
    record TaskState(int id, String state, String workerId, String trace) {

        public boolean failed() {
            return "FAILED".equals(state);
        }
    }

    /** {@code GET /connectors/{name}/status}. */
    record ConnectorStatus(String name, State connector, List<TaskState> tasks, String type) {

        ConnectorStatus {
            tasks = tasks == null ? List.of() : tasks;
        }

        /**
         * A connector whose workers have not reported a state yet: Connect writes the status asynchronously, so
         * there is none for a moment after the connector is created.
         */
        static ConnectorStatus notReported(String name) {
            return new ConnectorStatus(name, new State(NOT_REPORTED, null, null), List.of(), null);
        }

        public long failedTasks() {
            return tasks.stream().filter(TaskState::failed).count();
        }
    }

    /** {@code GET /connectors/{name}}: the connector's config and its tasks' ids. */
    record ConnectorInfo(String name, Map<String, String> config, String type) {

        ConnectorInfo {
            config = config == null ? Map.of() : config;
        }

        public String connectorClass() {
            return config.getOrDefault("connector.class", "");
        }
    }

    /** One value of {@code GET /connectors?expand=status&expand=info}: a connector's status and info together. */
    record Expanded(ConnectorStatus status, ConnectorInfo info) {
    }

    /** A connector as the Connect page lists it. */
    record ConnectorRow(String name, String type, String connectorClass, String state, int tasks, long failedTasks) {

        static ConnectorRow of(String name, Expanded expanded) {
            ConnectorStatus status = expanded.status();
            ConnectorInfo info = expanded.info();
            String type = info != null && info.type() != null ? info.type() : status == null ? "" : status.type();
            return new ConnectorRow(name, type == null ? "" : type, info == null ? "" : info.connectorClass(),
                    status == null || status.connector() == null ? "" : status.connector().state(),
                    status == null ? 0 : status.tasks().size(), status == null ? 0 : status.failedTasks());
        }

        /** The simple name of the connector's class, as lists show it. */
        public String shortClass() {
            return connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        }
    }

    /** {@code GET /connector-plugins}: a connector class the workers have. */
    record Plugin(@JsonProperty("class") String className, String type, String version) {
    }
}
