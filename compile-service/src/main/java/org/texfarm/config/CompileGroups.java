package org.texfarm.config;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The compile groups a server offers, read at start-up from {@code COMPILE_GROUPS_FILE} and
 * {@code COMPILE_GROUP_<NAME>_<SETTING>} variables (see {@link CompileGroupsReader}).
 *
 * @param byName       every group, by name, in the order they were configured
 * @param defaultGroup the group of requests that name none
 */
public record CompileGroups(Map<String, CompileGroup> byName, CompileGroup defaultGroup) {

    public CompileGroups {
        byName = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        if (byName.get(defaultGroup.name()) != defaultGroup) {
            throw new IllegalArgumentException("the default group " + defaultGroup.name() + " is not among the groups");
        }
    }

    public Optional<CompileGroup> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<CompileGroup> all() {
        return byName.values();
    }

    /** Every image some group allows. */
    public Set<String> images() {
        Set<String> images = new LinkedHashSet<>();
        byName.values().forEach(group -> images.addAll(group.images()));
        return images;
    }

    /** The OCI runtimes the groups' sandboxes run under. */
    public Set<String> runtimes() {
        Set<String> runtimes = new LinkedHashSet<>();
        byName.values().forEach(group -> runtimes.add(group.limits().runtime()));
        return runtimes;
    }

    /** The longest timeout any group allows. */
    public Duration maxTimeout() {
        return byName.values().stream().map(CompileGroup::maxTimeout).max(Duration::compareTo).orElseThrow();
    }
}
