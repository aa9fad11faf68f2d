package org.texfarm.config;

/** A configuration value is missing or wrong; the message names the setting and the value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
