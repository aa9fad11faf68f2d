package org.texfarm.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Image names an editor sends, mapped to the images this server has: Overleaf's editor names
 * images such as {@code quay.io/sharelatex/texlive-full:2017.1}. Each alias is an exact name, or a
 * prefix ending in {@code *}; exact names win over prefixes, longer prefixes over shorter ones. A
 * name no alias matches stands for itself.
 */
public record ImageAliases(List<Alias> aliases) {

    /** One mapping: {@code name} (or every name starting with it, when {@code prefix}) to {@code image}. */
    public record Alias(String name, boolean prefix, String image) {
        boolean matches(String requested) {
            return prefix ? requested.startsWith(name) : requested.equals(name);
        }
    }

    public ImageAliases {
        aliases = aliases.stream()
                .sorted((a, b) -> a.prefix() != b.prefix() ? Boolean.compare(a.prefix(), b.prefix())
                        : Integer.compare(b.name().length(), a.name().length()))
                .toList();
    }

    public static ImageAliases none() {
        return new ImageAliases(List.of());
    }

    /**
     * Reads {@code name=image} pairs, such as
     * {@code quay.io/sharelatex/texlive-full:2017.1=texlive-sandbox:bookworm,quay.io/sharelatex/*=texlive-sandbox:bookworm}.
     */
    static ImageAliases parse(String variable, List<String> pairs) {
        List<Alias> aliases = new ArrayList<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || equals == pair.length() - 1 || pair.indexOf('=', equals + 1) >= 0) {
                throw new ConfigException(variable + " must list name=image pairs, not '" + pair + "'");
            }
            String name = pair.substring(0, equals);
            String image = pair.substring(equals + 1);
            if (image.endsWith("*")) {
                throw new ConfigException(variable + ": the image '" + image + "' of '" + pair + "' must be a name, not a prefix");
            }
            boolean prefix = name.endsWith("*");
            String stem = prefix ? name.substring(0, name.length() - 1) : name;
            if (stem.contains("*") || stem.isEmpty()) {
                throw new ConfigException(variable + ": '" + name + "' may have one '*', at its end, after a prefix");
            }
            aliases.add(new Alias(stem, prefix, image));
        }
        return new ImageAliases(aliases);
    }

    /** The local image a requested name stands for. */
    public String resolve(String requested) {
        return aliases.stream().filter(alias -> alias.matches(requested)).findFirst().map(Alias::image).orElse(requested);
    }
}
