package org.texfarm.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.compile.CheckMode;
import org.texfarm.compile.CompileOptions;
import org.texfarm.compile.CompileRequest;
import org.texfarm.compile.Engine;
import org.texfarm.compile.LatexmkCommand;
import org.texfarm.config.CompileGroup;
import org.texfarm.config.PlaygroundSettings;
import org.texfarm.config.ServiceConfig;
import org.texfarm.output.BuildId;
import org.texfarm.sync.Resource;
import org.texfarm.sync.ResourcePath;
import org.texfarm.sync.Sha256;
import org.texfarm.sync.SyncType;
import org.texfarm.sync.UrlFetcher;

/**
 * Reads a CLSI compile request body into a {@link CompileRequest}, validating every field it
 * knows and ignoring the ones it does not, as CLSI does. A bad field fails with
 * {@link InvalidRequestException} naming it; nothing is touched before parsing succeeds.
 */
final class CompileRequestParser {

    private final ServiceConfig config;
    private final UrlFetcher fetcher;

    CompileRequestParser(ServiceConfig config, UrlFetcher fetcher) {
        this.config = config;
        this.fetcher = fetcher;
    }

    CompileRequest parse(ProjectKey project, JsonObject body) {
        if (body == null) {
            throw new InvalidRequestException("the body must be a JSON object with a 'compile' object");
        }
        JsonObject compile = object(body, "compile", "");
        if (compile == null) {
            throw new InvalidRequestException("the body must have a 'compile' object");
        }
        JsonObject options = object(compile, "options", "compile.");
        if (options == null) {
            options = new JsonObject();
        }
        CompileOptions parsedOptions = options(project, options);
        SyncType syncType = syncType(string(options, "syncType", "options."));
        String syncState = string(options, "syncState", "options.");

        String rootText = string(compile, "rootResourcePath", "compile.");
        ResourcePath root = LatexmkCommand.checkRoot(path(rootText == null ? "main.tex" : rootText, "compile.rootResourcePath"));
        // A root that is not among the resources compiles, and fails naming it, as with CLSI.
        return new CompileRequest(project, parsedOptions, root, syncType, syncState, resources(compile));
    }

    private static SyncType syncType(String value) {
        if (value == null || value.equals("full")) {
            return SyncType.FULL;
        }
        if (value.equals("incremental")) {
            return SyncType.INCREMENTAL;
        }
        throw new InvalidRequestException("options.syncType must be 'full' or 'incremental', not '" + value + "'");
    }

    private CompileOptions options(ProjectKey project, JsonObject options) {
        CompileGroup group = group(project, string(options, "compileGroup", "options."));
        String compiler = string(options, "compiler", "options.");
        Engine engine = compiler == null ? Engine.PDFLATEX : Engine.fromWireName(compiler);

        Duration timeout = timeout(options.getValue("timeout"), group);
        boolean stopOnFirstError = bool(options, "stopOnFirstError");
        boolean draft = bool(options, "draft");

        List<String> flags = new ArrayList<>();
        Object flagsValue = options.getValue("flags");
        if (flagsValue != null) {
            if (!(flagsValue instanceof JsonArray array)) {
                throw new InvalidRequestException("options.flags must be an array of strings");
            }
            for (Object flag : array) {
                if (!(flag instanceof String text)) {
                    throw new InvalidRequestException("options.flags must be an array of strings");
                }
                flags.add(LatexmkCommand.checkFlag(text));
            }
        }

        String image = config.image(group, string(options, "imageName", "options."));

        CheckMode check = CheckMode.fromWireName(string(options, "check", "options."));
        CompileOptions.PdfCaching pdfCaching = pdfCaching(options);

        String buildId = string(options, "buildId", "options.");
        return new CompileOptions(group, engine, timeout, stopOnFirstError, draft, flags, image,
                buildId == null ? null : BuildId.validate(buildId), bool(options, "clean"), check, pdfCaching);
    }

    /** What the request asks of PDF caching: off unless it asks and the server allows, as CLSI's switch does. */
    private CompileOptions.PdfCaching pdfCaching(JsonObject options) {
        boolean asked = bool(options, "enablePdfCaching");
        Object size = options.getValue("pdfCachingMinChunkSize");
        int minChunkBytes = config.pdfCaching().minChunkBytes();
        if (size != null) {
            if (!(size instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                    || number.doubleValue() < 1 || number.doubleValue() > Integer.MAX_VALUE) {
                throw new InvalidRequestException("options.pdfCachingMinChunkSize must be a whole number of bytes"
                        + " from 1 to " + Integer.MAX_VALUE + ", not " + size);
            }
            minChunkBytes = number.intValue();
        }
        return asked && config.pdfCaching().enabled() ? new CompileOptions.PdfCaching(true, minChunkBytes)
                : CompileOptions.PdfCaching.OFF;
    }

    /** The request's group; the playground's projects compile in the playground's group, and only there. */
    private CompileGroup group(ProjectKey project, String name) {
        PlaygroundSettings playground = config.playground();
        if (playground.owns(project.projectId())) {
            if (name != null && !name.equals(playground.group())) {
                throw new InvalidRequestException("the playground's projects (" + PlaygroundSettings.PROJECT_PREFIX
                        + "...) compile in the group '" + playground.group() + "', not '" + name + "'");
            }
            return config.groups().named(playground.group()).orElseThrow();
        }
        if (name == null) {
            return config.groups().defaultGroup();
        }
        return config.groups().named(name).orElseThrow(() -> new InvalidRequestException("options.compileGroup '"
                + name + "' is not a compile group of this server; groups: " + String.join(", ", config.groups().byName().keySet())));
    }

    private static Duration timeout(Object value, CompileGroup group) {
        if (value == null) {
            return group.defaultTimeout();
        }
        double seconds;
        if (value instanceof Number number) {
            seconds = number.doubleValue();
        } else if (value instanceof String text) {
            try {
                seconds = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new InvalidRequestException("options.timeout must be a number of seconds, not '" + text + "'");
            }
        } else {
            throw new InvalidRequestException("options.timeout must be a number of seconds");
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new InvalidRequestException("options.timeout must be a positive number of seconds, not " + value);
        }
        // Clamped, not refused, as CLSI does.
        return group.clampTimeout(Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))));
    }

    private List<Resource> resources(JsonObject compile) {
        Object value = compile.getValue("resources");
        if (!(value instanceof JsonArray array)) {
            throw new InvalidRequestException("compile.resources must be an array");
        }
        int max = config.requests().maxResources();
        if (array.size() > max) {
            throw new InvalidRequestException("compile.resources has " + array.size() + " entries; at most " + max
                    + " are allowed (MAX_RESOURCES)");
        }
        List<Resource> resources = new ArrayList<>(array.size());
        // A path may come twice, as with CLSI: entries are synced in order.
        Set<ResourcePath> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "compile.resources[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject entry)) {
                throw new InvalidRequestException(where + " must be an object");
            }
            String pathText = string(entry, "path", where + ".");
            if (pathText == null) {
                throw new InvalidRequestException(where + ".path is missing");
            }
            ResourcePath path = path(pathText, where + ".path");
            seen.add(path);
            resources.add(resource(entry, path, where));
        }
        checkNoFileUnderFile(seen);
        return resources;
    }

    private Resource resource(JsonObject entry, ResourcePath path, String where) {
        String content = string(entry, "content", where + ".");
        String url = string(entry, "url", where + ".");
        String hash = string(entry, "hash", where + ".");
        if ((content != null ? 1 : 0) + (url != null ? 1 : 0) + (hash != null ? 1 : 0) != 1) {
            throw new InvalidRequestException(where + " needs exactly one of content, url and hash");
        }
        if (content != null) {
            return new Resource.Inline(path, content);
        }
        if (hash != null) {
            return new Resource.Stored(path, Sha256.parse(hash));
        }
        URI uri = url(path, url, where + ".url");
        String fallback = string(entry, "fallbackURL", where + ".");
        return new Resource.Download(path, uri, modified(entry.getValue("modified"), where + ".modified"),
                fallback == null ? null : url(path, fallback, where + ".fallbackURL"));
    }

    /**
     * A resource's version: milliseconds since the epoch, or a date as JavaScript's {@code Date}
     * serialises it ({@code 2026-12-04T10:37:42.123Z}), or null.
     */
    private static Long modified(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException(where + " must be milliseconds since the epoch or an ISO-8601 date, not '"
                        + text + "'");
            }
        }
        throw new InvalidRequestException(where + " must be milliseconds since the epoch or an ISO-8601 date");
    }

    private URI url(ResourcePath path, String text, String where) {
        URI uri;
        try {
            // With FILESTORE_DOMAIN_OVERRIDE, the URL's origin is the operator's, as CLSI rewrites it.
            uri = config.downloads().withOrigin(new URI(text));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidRequestException(where + " is not a valid URL");
        }
        fetcher.checkAllowed(path.toString(), uri);
        return uri;
    }

    /** A path cannot be both a file and a directory: {@code a} and {@code a/b} together are refused. */
    private static void checkNoFileUnderFile(Set<ResourcePath> paths) {
        Set<ResourcePath> directories = new HashSet<>();
        for (ResourcePath path : paths) {
            List<String> c = path.components();
            for (int i = 1; i < c.size(); i++) {
                directories.add(new ResourcePath(c.subList(0, i)));
            }
        }
        for (ResourcePath path : paths) {
            if (directories.contains(path)) {
                throw new InvalidRequestException("resource '" + path + "' is a file and also a directory of other resources");
            }
        }
    }

    private ResourcePath path(String text, String where) {
        try {
            return ResourcePath.parse(text, config.requests().maxPathLength(), config.requests().maxPathDepth());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(where + ": " + e.getMessage());
        }
    }

    private static JsonObject object(JsonObject parent, String key, String prefix) {
        Object value = parent.getValue(key);
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        throw new InvalidRequestException(prefix + key + " must be an object");
    }

    private static String string(JsonObject parent, String key, String prefix) {
        Object value = parent.getValue(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidRequestException(prefix + key + " must be a string");
    }

    private static boolean bool(JsonObject options, String key) {
        Object value = options.getValue(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidRequestException("options." + key + " must be true or false");
    }
}
