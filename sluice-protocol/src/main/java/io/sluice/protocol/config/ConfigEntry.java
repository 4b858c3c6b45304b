package io.sluice.protocol.config;

/** One config as a topic describes it: its effective value and whether that value is the default. */
public record ConfigEntry(String name, String value, boolean isDefault, String documentation) {
}
