package org.texfarm.compile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.texfarm.sync.Resource;
import org.texfarm.sync.Sha256;

/**
 * Fingerprints of compiles. A request's fingerprint (before its sync) tells whether a request for a
 * project that is compiling is the same request, which then joins that compile. The inputs'
 * fingerprint (after the sync) covers everything that decides the output, every file's content
 * hash included, so that unchanged input returns the last build without running TeX. A preamble's
 * fingerprint names the format file it can be dumped into.
 */
final class Fingerprints {
    private Fingerprints() {
    }

    static Sha256 ofRequest(CompileRequest request) {
        StringBuilder text = new StringBuilder();
        options(text, request.options());
        pdfCaching(text, request.options());
        text.append("timeout ").append(request.options().timeout().toMillis()).append('\n')
                .append("clean ").append(request.options().clean()).append('\n')
                .append("root ").append(request.root()).append('\n')
                .append("sync ").append(request.syncType()).append(' ').append(request.syncState()).append('\n');
        for (Resource resource : request.resources()) {
            text.append(resource.path()).append('\0');
            switch (resource) {
                case Resource.Inline inline -> text.append("inline ").append(inline.hash());
                case Resource.Stored stored -> text.append("stored ").append(stored.hash());
                case Resource.Download download -> text.append("url ").append(download.url()).append(' ')
                        .append(download.modified()).append(' ').append(download.fallbackUrl());
            }
            text.append('\n');
        }
        return hash(text);
    }

    static Sha256 ofInputs(CompileRequest request, Map<String, Sha256> files) {
        StringBuilder text = new StringBuilder();
        options(text, request.options());
        pdfCaching(text, request.options());
        text.append("root ").append(request.root()).append('\n');
        new TreeMap<>(files).forEach((path, hash) -> text.append(path).append('\0').append(hash).append('\n'));
        return hash(text);
    }

    /**
     * A preamble's key: its text, the options it is dumped with, and the project's file names (a
     * new file may change what the preamble does), but not the other files' content, which the
     * format records as it reads them.
     */
    static Sha256 ofPreamble(CompileRequest request, Set<String> paths, byte[] preamble) {
        StringBuilder text = new StringBuilder("preamble format 1\n");
        options(text, request.options());
        text.append("root ").append(request.root()).append('\n');
        new TreeSet<>(paths).forEach(path -> text.append(path).append('\0'));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(text.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(preamble);
        return Sha256.of(bytes.toByteArray());
    }

    /**
     * The options that decide the output (not the timeout, the build id or whether to clean first);
     * the group, since its limits (shell escape, sizes) may change what a document makes.
     */
    private static void options(StringBuilder text, CompileOptions options) {
        text.append("group ").append(options.group().name()).append(' ').append(options.group().limits()).append('\n')
                .append("image ").append(options.image()).append('\n')
                .append("engine ").append(options.engine()).append('\n')
                .append("stopOnFirstError ").append(options.stopOnFirstError()).append('\n')
                .append("draft ").append(options.draft()).append('\n')
                .append("check ").append(options.check()).append('\n')
                .append("flags ").append(String.join("\0", options.flags())).append('\n');
    }

    /** Whether the answer has PDF ranges, and which: not a preamble's concern, as TeX makes the same PDF. */
    private static void pdfCaching(StringBuilder text, CompileOptions options) {
        text.append("pdfCaching ").append(options.pdfCaching()).append('\n');
    }

    private static Sha256 hash(StringBuilder text) {
        return Sha256.of(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
