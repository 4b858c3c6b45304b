package io.sluice.internal.coordinator;

import java.util.List;
import java.util.Map;

/** Incremental config change: overrides to set, and overrides to remove (back to the default). */
public record AlterConfigsRequest(Map<String, String> set, List<String> delete) {
}
