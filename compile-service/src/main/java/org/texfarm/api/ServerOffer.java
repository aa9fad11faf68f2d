package org.texfarm.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.texfarm.compile.Engine;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.ServiceConfig;
import org.texfarm.sandbox.ImageDescription;

/**
 * What a client may ask this server for, answered at {@code GET /offer}: the compilers, the
 * compile groups with their images and main limits, each image with its TeX Live year, and the
 * image names the server takes as aliases. An editor builds its "TeX Live version" and compiler
 * menus from it. Fixed at start-up, like the configuration it is made of.
 */
final class ServerOffer {
    private ServerOffer() {
    }

    static JsonObject of(ServiceConfig config, List<ImageDescription> images) {
        JsonArray groups = new JsonArray();
        for (CompileGroup group : config.groups().all()) {
            groups.add(new JsonObject()
                    .put("name", group.name())
                    .put("images", new JsonArray(group.images()))
                    .put("defaultImage", group.defaultImage())
                    .put("shellEscape", group.limits().shellEscape().label())
                    .put("runtime", group.limits().runtime())
                    .put("timeoutSeconds", new JsonObject()
                            .put("default", group.defaultTimeout().toSeconds())
                            .put("max", group.maxTimeout().toSeconds()))
                    .put("memoryBytes", group.limits().memoryBytes())
                    .put("cpus", group.limits().nanoCpus() / 1e9));
        }
        JsonArray described = new JsonArray();
        for (ImageDescription image : images) {
            JsonObject entry = new JsonObject().put("name", image.name());
            image.texliveYear().ifPresent(year -> entry.put("texliveYear", year));
            image.debianRelease().ifPresent(release -> entry.put("debianRelease", release));
            entry.put("tools", new JsonObject(new LinkedHashMap<>(image.tools())));
            described.add(entry);
        }
        JsonArray aliases = new JsonArray();
        config.imageAliases().aliases().forEach(alias -> aliases.add(new JsonObject()
                .put("name", alias.prefix() ? alias.name() + "*" : alias.name())
                .put("image", alias.image())));
        return new JsonObject()
                .put("compilers", new JsonArray(Arrays.stream(Engine.values()).map(Engine::wireName).toList()))
                .put("defaultCompiler", Engine.PDFLATEX.wireName())
                .put("defaultGroup", config.groups().defaultGroup().name())
                .put("playgroundGroup", config.playground().enabled() ? config.playground().group() : null)
                .put("defaultImage", config.defaultImage())
                .put("groups", groups)
                .put("images", described)
                .put("imageAliases", aliases);
    }
}
