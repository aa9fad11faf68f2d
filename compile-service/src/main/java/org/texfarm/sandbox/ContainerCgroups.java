package org.texfarm.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the kernel counts for a container, read from its cgroup as the host mounts it: the tasks
 * in it, and the memory of its processes and its tmpfs. Knows the layouts of Docker's two cgroup
 * drivers on cgroup v1 and v2. The files are read as they are, with no engine call, so that a
 * check between two compiles costs microseconds.
 */
final class ContainerCgroups {
    private final Path root;

    /** @param root where the host's cgroup file systems are mounted, as the service sees them */
    ContainerCgroups(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The container's cgroup, if the service can see it. */
    Optional<Cgroup> of(String containerId) {
        for (Cgroup candidate : List.of(
                new Cgroup(root.resolve("pids/docker/" + containerId), root.resolve("memory/docker/" + containerId), false),
                new Cgroup(root.resolve("pids/system.slice/docker-" + containerId + ".scope"),
                        root.resolve("memory/system.slice/docker-" + containerId + ".scope"), false),
                new Cgroup(root.resolve("docker/" + containerId), root.resolve("docker/" + containerId), true),
                new Cgroup(root.resolve("system.slice/docker-" + containerId + ".scope"),
                        root.resolve("system.slice/docker-" + containerId + ".scope"), true))) {
            if (Files.isReadable(candidate.pids().resolve("pids.current"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * One container's cgroup.
     *
     * @param pids   its directory in the pids hierarchy
     * @param memory its directory in the memory hierarchy (the same on cgroup v2)
     * @param v2     whether the host has the unified hierarchy
     */
    record Cgroup(Path pids, Path memory, boolean v2) {
        /** How many tasks (processes and threads) the container has, or empty once it is gone. */
        OptionalLong tasks() {
            try {
                return OptionalLong.of(Long.parseLong(Files.readString(pids.resolve("pids.current")).trim()));
            } catch (IOException | NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        /** The memory its processes and its tmpfs hold (anonymous and shared memory, not page cache). */
        OptionalLong memoryBytes() {
            return sum(memory.resolve("memory.stat"), v2 ? "anon" : "rss", "shmem");
        }

        /** How many processes the kernel has killed in it for memory. */
        OptionalLong oomKills() {
            return sum(memory.resolve(v2 ? "memory.events" : "memory.oom_control"), "oom_kill");
        }

        /** The sum of the named fields of a flat-keyed cgroup file ({@code name value} lines). */
        private static OptionalLong sum(Path file, String... names) {
            try {
                long total = 0;
                for (String line : Files.readAllLines(file)) {
                    String[] field = line.split(" ");
                    if (field.length == 2 && List.of(names).contains(field[0])) {
                        total += Long.parseLong(field[1]);
                    }
                }
                return OptionalLong.of(total);
            } catch (IOException | NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
    }
}
