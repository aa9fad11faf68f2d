package org.texfarm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileGroupsTest {
    private static final String FARM = """
            {
              "defaultGroup": "standard",
              "groups": {
                "standard": {"maxConcurrent": 1, "queueSize": 4, "timeoutMax": 60, "memory": "1g", "cpus": 1,
                             "diskFiles": 2000, "logLimit": "1m"},
                "priority": {"maxConcurrent": 2, "timeoutMax": 240, "timeoutDefault": 120, "memory": 3221225472,
                             "cpus": "1.5", "pids": 512, "fileSize": "512m", "openFiles": 2048, "disk": "4g",
                             "tmpSize": "256m", "shellEscape": true, "runtime": "runsc", "images": ["texlive:2025", "texlive:2024"]}
              }
            }
            """;

    @TempDir
    Path dir;

    private CompileGroups read(String fileContent, String... variables) throws IOException {
        Path file = dir.resolve("groups.json");
        Files.writeString(file, fileContent);
        Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", dir.toString(), "COMPILE_GROUPS_FILE", file.toString()));
        for (int i = 0; i < variables.length; i += 2) {
            env.put(variables[i], variables[i + 1]);
        }
        return ServiceConfig.fromEnvironment(env).groups();
    }

    private static CompileGroups readEnvironment(String... variables) {
        Map<String, String> env = new HashMap<>(Map.of("DATA_DIR", "/tmp/unused"));
        for (int i = 0; i < variables.length; i += 2) {
            env.put(variables[i], variables[i + 1]);
        }
        return ServiceConfig.fromEnvironment(env).groups();
    }

    @Test
    void readsEveryGroupSettingFromTheFile() throws IOException {
        CompileGroups groups = read(FARM, "SANDBOX_OPEN_FILES", "512");

        CompileGroup standard = groups.defaultGroup();
        assertThat(standard.name()).isEqualTo("standard");
        assertThat(standard.maxConcurrent()).isEqualTo(1);
        assertThat(standard.queueSize()).isEqualTo(4);
        assertThat(standard.maxTimeout()).hasSeconds(60);
        assertThat(standard.defaultTimeout()).hasSeconds(60);
        assertThat(standard.limits().memoryBytes()).isEqualTo(1L << 30);
        assertThat(standard.limits().diskFiles()).isEqualTo(2000);
        assertThat(standard.limits().logBytes()).isEqualTo(1L << 20);
        assertThat(standard.limits().openFiles()).as("unset in the file: the server-wide value").isEqualTo(512);
        assertThat(standard.limits().shellEscape()).as("TeX Live's default").isEqualTo(ShellEscape.RESTRICTED);
        assertThat(standard.limits().runtime()).isEqualTo("runc");
        assertThat(standard.images()).containsExactly(ServiceConfig.DEFAULT_IMAGE);

        CompileGroup priority = groups.named("priority").orElseThrow();
        assertThat(priority.maxConcurrent()).isEqualTo(2);
        assertThat(priority.maxTimeout()).hasSeconds(240);
        assertThat(priority.defaultTimeout()).hasSeconds(120);
        assertThat(priority.limits()).isEqualTo(new SandboxLimits(3L << 30, 1_500_000_000L, 512, 512L << 20, 2048,
                4L << 30, 5000, 256L << 20, 2L << 20, ShellEscape.FULL, "runsc", standard.limits().uid(), standard.limits().gid()));
        assertThat(priority.images()).containsExactly("texlive:2025", "texlive:2024");
        assertThat(priority.defaultImage()).isEqualTo("texlive:2025");
        assertThat(groups.images()).containsExactly(ServiceConfig.DEFAULT_IMAGE, "texlive:2025", "texlive:2024");
        assertThat(groups.maxTimeout()).hasSeconds(240);
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        CompileGroups groups = read(FARM, "COMPILE_GROUP_PRIORITY_MEMORY", "2g", "COMPILE_GROUP_STANDARD_SHELL_ESCAPE", "yes",
                "DEFAULT_COMPILE_GROUP", "priority");

        assertThat(groups.named("priority").orElseThrow().limits().memoryBytes()).isEqualTo(2L << 30);
        assertThat(groups.named("standard").orElseThrow().limits().shellEscape()).isEqualTo(ShellEscape.FULL);
        assertThat(groups.defaultGroup().name()).isEqualTo("priority");
    }

    @Test
    void withoutAFileOffersStandardAndPriorityWithTheServerWideLimits() {
        CompileGroups groups = readEnvironment("SANDBOX_MEMORY", "1g", "COMPILE_TIMEOUT_MAX", "90",
                "COMPILE_GROUP_PRIORITY_TIMEOUT_MAX", "300", "COMPILE_GROUP_PRIORITY_MAX_CONCURRENT", "1");

        assertThat(groups.byName()).containsOnlyKeys("standard", "priority", "playground");
        CompileGroup standard = groups.named("standard").orElseThrow();
        CompileGroup priority = groups.named("priority").orElseThrow();
        assertThat(standard.maxTimeout()).hasSeconds(90);
        assertThat(standard.maxConcurrent()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(priority.maxTimeout()).hasSeconds(300);
        assertThat(priority.defaultTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(priority.maxConcurrent()).isEqualTo(1);
        assertThat(priority.limits()).isEqualTo(standard.limits());
        assertThat(priority.limits().memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void aGroupsDefaultTimeoutFollowsAShorterMaximum() {
        CompileGroup standard = readEnvironment("COMPILE_GROUP_STANDARD_TIMEOUT_MAX", "20").defaultGroup();

        assertThat(standard.defaultTimeout()).hasSeconds(20);
    }

    @Test
    void namesTheBadKeyOrValue() throws IOException {
        Path file = dir.resolve("groups.json");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"memroy\": \"1g\"}}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": groups.standard.memroy is not a setting; settings: maxConcurrent,");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"memory\": \"lots\"}}}"))
                .hasMessage(file + ": groups.standard.memory must be a size such as 512m or 2g, not 'lots'");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"cpus\": 64}}}"))
                .hasMessageContaining("groups.standard.cpus must be between 0.1 and");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"shellEscape\": \"sometimes\"}}}"))
                .hasMessage(file + ": groups.standard.shellEscape must be off, restricted or full (true means full, false off),"
                        + " not 'sometimes'");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"runtime\": \"run sc\"}}}"))
                .hasMessageStartingWith(file + ": groups.standard.runtime must be the name of a runtime the Docker engine has");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"timeoutMax\": 30, \"timeoutDefault\": 60}}}"))
                .hasMessageContaining("groups.standard.timeoutDefault must be between");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"images\": [\"a\", 7]}}}"))
                .hasMessageContaining("groups.standard.images must be a list of names");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {\"pids\": {\"max\": 5}}}}"))
                .hasMessageContaining("groups.standard.pids must be a number, text or list");
        assertThatThrownBy(() -> read("{\"groups\": {\"no good\": {}}}"))
                .hasMessageContaining("groups.no good is not a valid group name");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": 1}}"))
                .hasMessageContaining("groups.standard must be an object of settings");
        assertThatThrownBy(() -> read("{\"groups\": {\"standard\": {}}, \"grups\": {}}"))
                .hasMessage(file + ": 'grups' is not a setting; the file has 'groups' and 'defaultGroup'");
        assertThatThrownBy(() -> read(FARM, "COMPILE_GROUP_PRIORITY_PIDS", "8"))
                .hasMessageContaining("COMPILE_GROUP_PRIORITY_PIDS must be between 16 and 100000");
    }

    @Test
    void refusesMissingGroupsAndNamesThatMatchNothing() throws IOException {
        Path file = dir.resolve("groups.json");
        assertThatThrownBy(() -> read("{}"))
                .hasMessageStartingWith(file + ": 'groups' must be an object with at least one group");
        assertThatThrownBy(() -> read("{\"groups\": {}}"))
                .hasMessageStartingWith(file + ": 'groups' must be an object with at least one group");
        assertThatThrownBy(() -> read("{\"groups\": {\"fast\": {}}, \"defaultGroup\": \"slow\"}"))
                .hasMessage(file + ": defaultGroup names no compile group: 'slow' (groups: fast, playground)");
        assertThatThrownBy(() -> read("[1, 2]"))
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> readEnvironment("COMPILE_GROUPS_FILE", dir.resolve("absent.json").toString()))
                .hasMessageContaining("COMPILE_GROUPS_FILE names a file that cannot be read: '" + dir.resolve("absent.json"));
        assertThatThrownBy(() -> readEnvironment("COMPILE_GROUP_ALPHA_MEMORY", "1g"))
                .hasMessageStartingWith("COMPILE_GROUP_ALPHA_MEMORY names no compile group and setting")
                .hasMessageContaining("PRIORITY, STANDARD");
        assertThatThrownBy(() -> readEnvironment("COMPILE_GROUP_STANDARD_MEMROY", "1g"))
                .hasMessageStartingWith("COMPILE_GROUP_STANDARD_MEMROY names no compile group and setting");
        assertThatThrownBy(() -> readEnvironment("DEFAULT_COMPILE_GROUP", "alpha"))
                .hasMessage("DEFAULT_COMPILE_GROUP names no compile group: 'alpha' (groups: standard, priority, playground)");
        assertThatThrownBy(() -> read("{\"groups\": {\"fast-lane\": {}, \"FAST_LANE\": {}}}"))
                .hasMessageContaining("have the same variable name COMPILE_GROUP_FAST_LANE_*");
    }

    @Test
    void aFileWithOneGroupMakesItTheDefault() throws IOException {
        CompileGroups groups = read("{\"groups\": {\"only\": {\"maxConcurrent\": 1}}}");

        assertThat(groups.byName()).containsOnlyKeys("only", "playground");
        assertThat(groups.defaultGroup().name()).isEqualTo("only");
    }

    @Test
    void addsThePlaygroundsGroupWithModestLimitsUnlessTheFileHasOneOrThePlaygroundIsOff() throws IOException {
        CompileGroup playground = readEnvironment().named("playground").orElseThrow();
        assertThat(playground.maxConcurrent()).isEqualTo(1);
        assertThat(playground.maxTimeout()).hasSeconds(30);
        assertThat(playground.limits().memoryBytes()).isEqualTo(1L << 30);
        assertThat(playground.limits().diskBytes()).isEqualTo(256L << 20);

        assertThat(read("{\"groups\": {\"only\": {}, \"playground\": {\"maxConcurrent\": 2}}}").named("playground")
                .orElseThrow().maxConcurrent()).isEqualTo(2);
        assertThat(readEnvironment("PLAYGROUND", "false").byName()).containsOnlyKeys("standard", "priority");
        assertThat(readEnvironment("PLAYGROUND_GROUP", "demo").byName()).containsKey("demo").doesNotContainKey("playground");
        assertThatThrownBy(() -> readEnvironment("PLAYGROUND_GROUP", "no spaces")).hasMessageStartingWith("PLAYGROUND_GROUP must be");
    }
}
