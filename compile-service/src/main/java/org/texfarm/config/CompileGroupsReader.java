package org.texfarm.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the compile groups. Every group setting has a server-wide variable (SANDBOX_MEMORY, ...)
 * that is its default; {@code COMPILE_GROUPS_FILE} (JSON) names the groups and may set any
 * setting per group; {@code COMPILE_GROUP_<NAME>_<SETTING>} overrides one setting of one group.
 * Without a file the groups are {@code standard} and {@code priority}; with the playground on, its
 * group is added with modest limits unless the configuration has one of its name. Every bad key or value
 * fails with a message that names it.
 */
final class CompileGroupsReader {
    static final String FILE_VARIABLE = "COMPILE_GROUPS_FILE";
    static final String DEFAULT_GROUP_VARIABLE = "DEFAULT_COMPILE_GROUP";
    static final String OVERRIDE_PREFIX = "COMPILE_GROUP_";
    private static final List<String> BUILT_IN_GROUPS = List.of("standard", "priority");
    /** The playground's group when the configuration has none of its name: a slot, short timeouts, little memory and disk. */
    private static final JsonObject PLAYGROUND_GROUP = new JsonObject().put("maxConcurrent", 1).put("queueSize", 2)
            .put("timeoutDefault", 20).put("timeoutMax", 30).put("memory", "1g").put("cpus", 1).put("disk", "256m")
            .put("diskFiles", 2000);
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern RUNTIME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** A group setting: its name in the file, and the server-wide variable that gives its default. */
    enum Setting {
        MAX_CONCURRENT("maxConcurrent", "MAX_CONCURRENT_COMPILES"),
        QUEUE_SIZE("queueSize", "COMPILE_QUEUE_SIZE"),
        TIMEOUT_DEFAULT("timeoutDefault", "COMPILE_TIMEOUT_DEFAULT"),
        TIMEOUT_MAX("timeoutMax", "COMPILE_TIMEOUT_MAX"),
        MEMORY("memory", "SANDBOX_MEMORY"),
        CPUS("cpus", "SANDBOX_CPUS"),
        PIDS("pids", "SANDBOX_PIDS"),
        FILE_SIZE("fileSize", "SANDBOX_FILE_SIZE"),
        OPEN_FILES("openFiles", "SANDBOX_OPEN_FILES"),
        DISK("disk", "SANDBOX_DISK"),
        DISK_FILES("diskFiles", "SANDBOX_DISK_FILES"),
        TMP_SIZE("tmpSize", "SANDBOX_TMP_SIZE"),
        LOG_LIMIT("logLimit", "SANDBOX_LOG_LIMIT"),
        SHELL_ESCAPE("shellEscape", "SHELL_ESCAPE"),
        RUNTIME("runtime", "SANDBOX_RUNTIME"),
        IMAGES("images", "ALLOWED_IMAGES");

        final String key;
        final String serverVariable;

        Setting(String key, String serverVariable) {
            this.key = key;
            this.serverVariable = serverVariable;
        }

        static String keys() {
            return String.join(", ", Arrays.stream(values()).map(s -> s.key).toList());
        }
    }

    /** Where one setting's value comes from: {@code label} names it in error messages. */
    private record Source(String label, Environment values) {
        static Source of(String label, String value) {
            return new Source(label, new Environment(value == null ? Map.of() : Map.of(label, value)));
        }

        int integer(int defaultValue, int min, int max) {
            return values.integer(label, defaultValue, min, max);
        }

        long size(long defaultValue, long min, long max) {
            return values.size(label, defaultValue, min, max);
        }

        double decimal(double defaultValue, double min, double max) {
            return values.decimal(label, defaultValue, min, max);
        }

        Duration seconds(Duration defaultValue, Duration min, Duration max) {
            return values.seconds(label, defaultValue, min, max);
        }

        ShellEscape shellEscape(ShellEscape defaultValue) {
            if (!values.isSet(label)) {
                return defaultValue;
            }
            try {
                return ShellEscape.parse(values.string(label, null));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(label + " " + e.getMessage());
            }
        }

        String runtime(String defaultValue) {
            String name = values.string(label, defaultValue);
            if (!RUNTIME_NAME.matcher(name).matches()) {
                throw new ConfigException(label + " must be the name of a runtime the Docker engine has, such as runc or runsc,"
                        + " not '" + name + "'");
            }
            return name;
        }

        List<String> list() {
            return values.list(label);
        }
    }

    private CompileGroupsReader() {
    }

    /** The limits from the server-wide variables, over the built-in safe defaults. */
    static CompileGroup serverDefaults(Environment env, int cores, int uid, int gid) {
        CompileGroup builtIn = new CompileGroup("built-in", cores, 4 * cores, Duration.ofSeconds(60),
                Duration.ofSeconds(600), new SandboxLimits(2 * GIB, 1_000_000_000L, 256, 256 * MIB, 1024, GIB, 5_000,
                128 * MIB, 2 * MIB, ShellEscape.RESTRICTED, SandboxLimits.DEFAULT_RUNTIME, uid, gid),
                List.of(ServiceConfig.DEFAULT_IMAGE));
        Set<String> images = new LinkedHashSet<>();
        images.add(env.string("TEXLIVE_IMAGE", ServiceConfig.DEFAULT_IMAGE));
        images.addAll(env.list("ALLOWED_IMAGES"));
        return group("server", setting -> new Source(setting.serverVariable, env), builtIn, cores, List.copyOf(images));
    }

    /** The groups, each setting from its override, else the file, else {@code defaults}. */
    static CompileGroups read(Environment env, CompileGroup defaults, int cores, String playgroundGroup) {
        Map<String, JsonObject> configured;
        String defaultName;
        String origin;
        if (env.isSet(FILE_VARIABLE)) {
            origin = env.string(FILE_VARIABLE, null);
            JsonObject file = readFile(origin);
            configured = groupsOf(file, origin);
            defaultName = file.getValue("defaultGroup") instanceof String name ? name : null;
            if (file.containsKey("defaultGroup") && defaultName == null) {
                throw new ConfigException(origin + ": defaultGroup must be a group name");
            }
        } else {
            origin = "built-in groups";
            configured = new LinkedHashMap<>();
            BUILT_IN_GROUPS.forEach(name -> configured.put(name, new JsonObject()));
            defaultName = null;
        }
        defaultName = env.string(DEFAULT_GROUP_VARIABLE, defaultName != null ? defaultName
                : configured.containsKey("standard") ? "standard" : configured.keySet().iterator().next());
        if (playgroundGroup != null) {
            if (!GROUP_NAME.matcher(playgroundGroup).matches()) {
                throw new ConfigException("PLAYGROUND_GROUP must be a group name (letters, digits, '_' and '-'), not '"
                        + playgroundGroup + "'");
            }
            configured.putIfAbsent(playgroundGroup, PLAYGROUND_GROUP);
        }

        Map<String, String> variableNames = variableNames(configured.keySet());
        checkOverrides(env, variableNames);
        Map<String, CompileGroup> groups = new LinkedHashMap<>();
        for (Map.Entry<String, JsonObject> entry : configured.entrySet()) {
            String name = entry.getKey();
            String prefix = OVERRIDE_PREFIX + variableNames.get(name) + "_";
            Function<Setting, Source> sources = setting -> {
                String variable = prefix + setting.name();
                if (env.isSet(variable)) {
                    return Source.of(variable, env.string(variable, null));
                }
                String label = origin + ": groups." + name + "." + setting.key;
                return Source.of(label, text(entry.getValue().getValue(setting.key), label));
            };
            List<String> images = sources.apply(Setting.IMAGES).list();
            groups.put(name, group(name, sources, defaults, cores, images.isEmpty() ? defaults.images() : images));
        }
        CompileGroup defaultGroup = groups.get(defaultName);
        if (defaultGroup == null) {
            throw new ConfigException((env.isSet(DEFAULT_GROUP_VARIABLE) ? DEFAULT_GROUP_VARIABLE : origin + ": defaultGroup")
                    + " names no compile group: '" + defaultName + "' (groups: " + String.join(", ", groups.keySet()) + ")");
        }
        return new CompileGroups(groups, defaultGroup);
    }

    private static CompileGroup group(String name, Function<Setting, Source> sources, CompileGroup defaults, int cores,
                                      List<String> images) {
        Duration maxTimeout = sources.apply(Setting.TIMEOUT_MAX).seconds(defaults.maxTimeout(), Duration.ofSeconds(1), Duration.ofHours(1));
        Duration defaultTimeout = sources.apply(Setting.TIMEOUT_DEFAULT).seconds(
                min(defaults.defaultTimeout(), maxTimeout), Duration.ofSeconds(1), maxTimeout);
        SandboxLimits base = defaults.limits();
        SandboxLimits limits = new SandboxLimits(
                sources.apply(Setting.MEMORY).size(base.memoryBytes(), 64 * MIB, 1L << 40),
                Math.round(sources.apply(Setting.CPUS).decimal(base.nanoCpus() / 1e9, 0.1, cores) * 1e9),
                sources.apply(Setting.PIDS).integer((int) base.pids(), 16, 100_000),
                sources.apply(Setting.FILE_SIZE).size(base.fileSizeBytes(), MIB, 1L << 40),
                sources.apply(Setting.OPEN_FILES).integer((int) base.openFiles(), 64, 1 << 20),
                sources.apply(Setting.DISK).size(base.diskBytes(), 16 * MIB, 1L << 42),
                sources.apply(Setting.DISK_FILES).integer((int) base.diskFiles(), 100, 10_000_000),
                sources.apply(Setting.TMP_SIZE).size(base.tmpBytes(), MIB, 64 * GIB),
                sources.apply(Setting.LOG_LIMIT).size(base.logBytes(), 64 * 1024, GIB),
                sources.apply(Setting.SHELL_ESCAPE).shellEscape(base.shellEscape()),
                sources.apply(Setting.RUNTIME).runtime(base.runtime()),
                base.uid(),
                base.gid());
        return new CompileGroup(name,
                sources.apply(Setting.MAX_CONCURRENT).integer(defaults.maxConcurrent(), 1, 1024),
                sources.apply(Setting.QUEUE_SIZE).integer(defaults.queueSize(), 0, 100_000),
                defaultTimeout, maxTimeout, limits, images);
    }

    private static JsonObject readFile(String path) {
        String text;
        try {
            text = Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(FILE_VARIABLE + " names a file that cannot be read: '" + path + "' (" + e + ")");
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(path + " (" + FILE_VARIABLE + ") must be a JSON object: " + e.getMessage());
        }
    }

    private static Map<String, JsonObject> groupsOf(JsonObject file, String origin) {
        for (String key : file.fieldNames()) {
            if (!key.equals("groups") && !key.equals("defaultGroup")) {
                throw new ConfigException(origin + ": '" + key + "' is not a setting; the file has 'groups' and 'defaultGroup'");
            }
        }
        if (!(file.getValue("groups") instanceof JsonObject groups) || groups.isEmpty()) {
            throw new ConfigException(origin + ": 'groups' must be an object with at least one group, such as"
                    + " {\"groups\": {\"standard\": {}}}");
        }
        Map<String, JsonObject> configured = new LinkedHashMap<>();
        for (String name : groups.fieldNames()) {
            if (!GROUP_NAME.matcher(name).matches()) {
                throw new ConfigException(origin + ": groups." + name + " is not a valid group name"
                        + " (letters, digits, '-' and '_', at most 64)");
            }
            if (!(groups.getValue(name) instanceof JsonObject settings)) {
                throw new ConfigException(origin + ": groups." + name + " must be an object of settings");
            }
            for (String key : settings.fieldNames()) {
                if (Arrays.stream(Setting.values()).noneMatch(setting -> setting.key.equals(key))) {
                    throw new ConfigException(origin + ": groups." + name + "." + key + " is not a setting; settings: "
                            + Setting.keys());
                }
            }
            configured.put(name, settings);
        }
        return configured;
    }

    /** A JSON value as the text an environment variable would hold. */
    private static String text(Object value, String label) {
        return switch (value) {
            case null -> null;
            case String text -> text;
            case Number number -> number.toString();
            case Boolean flag -> flag.toString();
            case JsonArray array -> {
                List<String> items = new ArrayList<>();
                for (Object item : array) {
                    if (!(item instanceof String text) || text.isBlank()) {
                        throw new ConfigException(label + " must be a list of names, not " + array.encode());
                    }
                    items.add(text);
                }
                yield String.join(",", items);
            }
            default -> throw new ConfigException(label + " must be a number, text or list, not " + value);
        };
    }

    /** Each group's name as it appears in override variables: upper case, '-' as '_'. */
    private static Map<String, String> variableNames(Set<String> groups) {
        Map<String, String> names = new HashMap<>();
        Map<String, String> taken = new HashMap<>();
        for (String group : groups) {
            String variableName = group.toUpperCase(Locale.ROOT).replace('-', '_');
            String other = taken.putIfAbsent(variableName, group);
            if (other != null) {
                throw new ConfigException("compile groups '" + other + "' and '" + group + "' have the same variable name "
                        + OVERRIDE_PREFIX + variableName + "_*: rename one");
            }
            names.put(group, variableName);
        }
        return names;
    }

    /** Refuses an override variable that names no group and setting, which would otherwise be ignored. */
    private static void checkOverrides(Environment env, Map<String, String> variableNames) {
        for (String variable : env.namesStartingWith(OVERRIDE_PREFIX)) {
            boolean known = variableNames.values().stream().anyMatch(group -> Arrays.stream(Setting.values())
                    .anyMatch(setting -> variable.equals(OVERRIDE_PREFIX + group + "_" + setting.name())));
            if (!known) {
                throw new ConfigException(variable + " names no compile group and setting: it must be "
                        + OVERRIDE_PREFIX + "<GROUP>_<SETTING> with GROUP one of "
                        + String.join(", ", variableNames.values().stream().sorted().toList()) + " and SETTING one of "
                        + String.join(", ", Arrays.stream(Setting.values()).map(Setting::name).toList()));
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
