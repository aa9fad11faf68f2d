package org.texfarm.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of environment variables, each failing with a message that names the variable and its value. */
final class Environment {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)i?b?", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> variables;

    Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    String string(String name, String defaultValue) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** The names of the variables that start with {@code prefix}. */
    List<String> namesStartingWith(String prefix) {
        return variables.keySet().stream().filter(name -> name.startsWith(prefix)).sorted().toList();
    }

    boolean isSet(String name) {
        String value = variables.get(name);
        return value != null && !value.isBlank();
    }

    int integer(String name, int defaultValue, int min, int max) {
        return (int) parse(name, defaultValue, min, max, Long::parseLong, "a whole number");
    }

    long size(String name, long defaultValue, long min, long max) {
        return parse(name, defaultValue, min, max, Environment::parseSize, "a size such as 512m or 2g");
    }

    Duration seconds(String name, Duration defaultValue, Duration min, Duration max) {
        long millis = parse(name, defaultValue.toMillis(), min.toMillis(), max.toMillis(),
                text -> Math.round(Double.parseDouble(text) * 1000), "a number of seconds");
        return Duration.ofMillis(millis);
    }

    double decimal(String name, double defaultValue, double min, double max) {
        if (!isSet(name)) {
            return defaultValue;
        }
        String text = string(name, null);
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, not '" + text + "'");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", not '" + text + "'");
        }
        return value;
    }

    boolean flag(String name, boolean defaultValue) {
        if (!isSet(name)) {
            return defaultValue;
        }
        String text = string(name, null).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name + " must be true or false, not '" + text + "'");
        };
    }

    /** A regular expression, or null when the variable is not set. */
    Pattern pattern(String name) {
        if (!isSet(name)) {
            return null;
        }
        String text = string(name, null);
        try {
            return Pattern.compile(text);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigException(name + " must be a regular expression, not '" + text + "' (" + e.getDescription() + ")");
        }
    }

    List<String> list(String name) {
        if (!isSet(name)) {
            return List.of();
        }
        return Arrays.stream(string(name, "").split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }

    private long parse(String name, long defaultValue, long min, long max, Function<String, Long> parser, String kind) {
        if (!isSet(name)) {
            return defaultValue;
        }
        String text = string(name, null);
        long value;
        try {
            value = parser.apply(text);
        } catch (RuntimeException e) {
            throw new ConfigException(name + " must be " + kind + ", not '" + text + "'");
        }
        if (value < min || value > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + " (as parsed), not '" + text + "'");
        }
        return value;
    }

    static long parseSize(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        long number = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 40;
        };
        if (Long.numberOfLeadingZeros(number) <= shift) {
            throw new IllegalArgumentException(text);
        }
        return number << shift;
    }
}
