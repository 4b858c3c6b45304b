package io.sluice.internal.registry;

import io.sluice.protocol.schema.CompatibilityLevel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schema registry without its schemas' texts: every subject with its versions, the global and per-subject
 * compatibility levels and modes, at {@code version}, which every change bumps. A gateway answers the registry's
 * listings from it and fetches each schema by id ({@link SchemaDefinition}, immutable).
 *
 * @param compatibility the global level (BACKWARD unless set)
 * @param mode          the global mode (READWRITE unless set)
 */
public record RegistryState(long version, CompatibilityLevel compatibility, RegistryMode mode,
                            List<SubjectVersions> subjects, Map<String, CompatibilityLevel> subjectCompatibility,
                            Map<String, RegistryMode> subjectModes) {

    public RegistryState {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        subjectCompatibility = subjectCompatibility == null ? Map.of() : Map.copyOf(subjectCompatibility);
        subjectModes = subjectModes == null ? Map.of() : Map.copyOf(subjectModes);
    }

    public Optional<SubjectVersions> subject(String name) {
        return subjects.stream().filter(s -> s.subject().equals(name)).findFirst();
    }

    /** The level that applies to {@code subject}: its own, else the global one. */
    public CompatibilityLevel compatibilityOf(String subject) {
        return subjectCompatibility.getOrDefault(subject, compatibility);
    }

    /** The mode that applies to {@code subject}: its own, else the global one. */
    public RegistryMode modeOf(String subject) {
        return subjectModes.getOrDefault(subject, mode);
    }
}
