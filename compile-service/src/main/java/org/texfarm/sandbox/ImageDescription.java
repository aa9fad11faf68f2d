package org.texfarm.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a TeX Live image says of itself in the labels {@code sandbox-images/build} gives it: its TeX
 * Live year, its Debian release and the versions of its main tools. An image built otherwise may
 * say nothing.
 *
 * @param name          the image's name, as the server's configuration gives it
 * @param texliveYear   for example {@code 2022}
 * @param debianRelease for example {@code bookworm}
 * @param tools         package name to version, for example {@code latexmk} to {@code 4.79}
 */
public record ImageDescription(String name, Optional<String> texliveYear, Optional<String> debianRelease,
                               Map<String, String> tools) {
    static final String LABEL_PREFIX = "org.texlive-sandbox.";

    public ImageDescription {
        tools = Collections.unmodifiableMap(new LinkedHashMap<>(tools));
    }

    /** Reads the labels; a missing or empty label is left out. */
    static ImageDescription fromLabels(String name, Map<String, String> labels) {
        Map<String, String> safe = labels == null ? Map.of() : labels;
        Map<String, String> tools = new LinkedHashMap<>();
        for (String pair : safe.getOrDefault(LABEL_PREFIX + "tools", "").split(" ")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && equals < pair.length() - 1) {
                tools.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return new ImageDescription(name, label(safe, "texlive-year"), label(safe, "debian-release"), tools);
    }

    private static Optional<String> label(Map<String, String> labels, String key) {
        return Optional.ofNullable(labels.get(LABEL_PREFIX + key)).filter(value -> !value.isBlank());
    }
}
