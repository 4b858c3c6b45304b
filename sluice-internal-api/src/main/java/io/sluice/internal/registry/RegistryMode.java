package io.sluice.internal.registry;

import io.sluice.protocol.ErrorCode;
import java.util.Locale;

/**
 * What the schema registry, or one subject, accepts (Confluent's modes): READWRITE everything; READONLY no
 * registration or deletion; IMPORT registrations that name their schema's id and version (a migration from another
 * registry), without compatibility checks.
 */
public enum RegistryMode {
    READWRITE,
    READONLY,
    IMPORT;

    /** @throws io.sluice.protocol.SluiceException INVALID_REGISTRY_MODE for a name that is none of the three */
    public static RegistryMode fromName(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException unknown) {
            throw ErrorCode.INVALID_REGISTRY_MODE.exception("Unknown mode '" + name
                    + "': expected READWRITE, READONLY or IMPORT");
        }
    }
}
