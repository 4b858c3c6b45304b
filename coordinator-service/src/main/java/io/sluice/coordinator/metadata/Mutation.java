package io.sluice.coordinator.metadata;

import io.sluice.coordinator.store.MetadataChange;

/**
 * What a command decided: the change to write (null or empty for none) and the answer to give its caller once the
 * change is stored.
 */
public record Mutation<T>(MetadataChange change, T result) {

    public static <T> Mutation<T> of(MetadataChange change, T result) {
        return new Mutation<>(change, result);
    }

    public static <T> Mutation<T> none(T result) {
        return new Mutation<>(null, result);
    }
}
