package org.texfarm.sync;

import java.nio.file.Path;
import java.util.List;
import org.texfarm.InvalidRequestException;

/**
 * A validated relative path inside a project, such as {@code chapters/intro.tex}. Absolute paths,
 * empty, "." and ".." components, backslashes, NUL and other control characters are refused, so
 * {@link #resolveIn} always names an entry inside the directory it is given.
 */
public record ResourcePath(List<String> components) {
    private static final int MAX_COMPONENT_LENGTH = 255;

    public ResourcePath {
        components = List.copyOf(components);
    }

    /** Parses and checks a request's path against the given length and depth bounds. */
    public static ResourcePath parse(String path, int maxLength, int maxDepth) {
        if (path == null || path.isEmpty()) {
            throw invalid(path, "it is empty");
        }
        if (path.length() > maxLength) {
            throw invalid(path, "it is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\0') {
                throw invalid(path, "it contains a NUL character");
            }
            if (c == '\\') {
                throw invalid(path, "it contains a backslash; use '/'");
            }
            if (Character.isISOControl(c)) {
                throw invalid(path, "it contains a control character");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < path.length()
                    && Character.isLowSurrogate(path.charAt(++i)))) {
                throw invalid(path, "it is not valid Unicode");
            }
        }
        if (path.startsWith("/")) {
            throw invalid(path, "it is absolute");
        }
        String[] parts = path.split("/", -1);
        if (parts.length > maxDepth) {
            throw invalid(path, "it is more than " + maxDepth + " levels deep");
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw invalid(path, "it has an empty component");
            }
            if (part.equals(".") || part.equals("..")) {
                throw invalid(path, "it has a '" + part + "' component");
            }
            if (part.length() > MAX_COMPONENT_LENGTH) {
                throw invalid(path, "a component is longer than " + MAX_COMPONENT_LENGTH + " characters");
            }
        }
        return new ResourcePath(List.of(parts));
    }

    /** The entry this path names below {@code root}, built one component at a time. */
    public Path resolveIn(Path root) {
        Path result = root;
        for (String component : components) {
            result = result.resolve(component);
        }
        if (!result.normalize().startsWith(root.normalize()) || result.getNameCount() != root.getNameCount() + components.size()) {
            throw new IllegalStateException("resource path escaped its root: " + this);
        }
        return result;
    }

    public String fileName() {
        return components.getLast();
    }

    /** Whether the file is a dot file somewhere along its path (never listed as an output). */
    public boolean isHidden() {
        return components.stream().anyMatch(c -> c.startsWith("."));
    }

    @Override
    public String toString() {
        return String.join("/", components);
    }

    private static InvalidRequestException invalid(String path, String reason) {
        String shown = path == null ? "null" : path.length() > 80 ? path.substring(0, 80) + "..." : path;
        return new InvalidRequestException("invalid resource path '" + shown + "': " + reason);
    }
}
