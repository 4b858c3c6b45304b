package io.sluice.internal.registry;

import java.util.List;
import java.util.Optional;

/** A subject and its versions, oldest first (soft-deleted ones included, marked). */
public record SubjectVersions(String subject, List<SubjectVersion> versions) {

    public SubjectVersions {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }

    /** The versions not soft-deleted, oldest first. */
    public List<SubjectVersion> live() {
        return versions.stream().filter(v -> !v.deleted()).toList();
    }

    /** Whether every version is soft-deleted (a subject with none is no subject). */
    public boolean softDeleted() {
        return live().isEmpty();
    }

    /** Version {@code number}, deleted or not. */
    public Optional<SubjectVersion> version(int number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }

    /** The newest version not soft-deleted, or with {@code deleted} the newest of all. */
    public Optional<SubjectVersion> latest(boolean deleted) {
        List<SubjectVersion> candidates = deleted ? versions : live();
        return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.getLast());
    }
}
