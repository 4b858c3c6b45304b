package io.sluice.internal.metadata;

import java.util.List;

/**
 * The coordinator's answer to "what changed since version V": either the deltas after V in order, or, for a
 * follower too far behind (or one that followed another coordinator), a full snapshot. {@code version} is the
 * version the follower is at after applying it.
 */
public record MetadataUpdate(long version, ClusterMetadata snapshot, List<MetadataDelta> deltas) {

    public MetadataUpdate {
        deltas = deltas == null ? List.of() : List.copyOf(deltas);
    }

    public static MetadataUpdate ofSnapshot(ClusterMetadata snapshot) {
        return new MetadataUpdate(snapshot.version(), snapshot, List.of());
    }

    public static MetadataUpdate ofDeltas(long version, List<MetadataDelta> deltas) {
        return new MetadataUpdate(version, null, deltas);
    }

    /** {@code current} brought to this update's version. */
    public ClusterMetadata applyTo(ClusterMetadata current) {
        ClusterMetadata result = snapshot != null ? snapshot : current;
        for (MetadataDelta delta : deltas) {
            if (delta.version() > result.version()) {
                result = result.apply(delta);
            }
        }
        return result;
    }
}
