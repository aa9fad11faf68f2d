package org.texfarm.loadtest.workload;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.corpus.WordEdit;

/** One editor's copy of a document, as it is now; used by one compile at a time. */
public final class Project {
    private final String id;
    private final Document document;
    private final Map<String, byte[]> files;
    private final Random random;
    private boolean compiled;

    /** @param seed decides which words its edits change: the same seed, the same edits */
    public Project(String id, Document document, long seed) {
        this.id = id;
        this.document = document;
        this.files = new LinkedHashMap<>(document.files());
        this.random = new Random(seed);
    }

    public String id() {
        return id;
    }

    public Document document() {
        return document;
    }

    /** The files as the editor has them now. */
    public Map<String, byte[]> files() {
        return Map.copyOf(files);
    }

    /** Changes one word of the document's edited file; returns its path. */
    public String editAWord() {
        String path = document.editedFile();
        String text = new String(files.get(path), StandardCharsets.UTF_8);
        files.put(path, WordEdit.apply(text, random).getBytes(StandardCharsets.UTF_8));
        return path;
    }

    boolean compiled() {
        return compiled;
    }

    /** Records that the project has had its first compile. */
    public void markCompiled() {
        compiled = true;
    }
}
