package org.texfarm.loadtest.corpus;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A project to compile: its files, its main file, the engine, and the file an editor edits.
 *
 * @param name       what reports call it ("hello", "article", a folder's name)
 * @param compiler   the CLSI compiler name: pdflatex, latex, xelatex or lualatex
 * @param root       the main file's path
 * @param editedFile the text file whose words the edits change
 * @param files      every file by relative path
 */
public record Document(String name, String compiler, String root, String editedFile, Map<String, byte[]> files) {
    public Document {
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
        if (!files.containsKey(root)) {
            throw new IllegalArgumentException("document " + name + " has no main file " + root);
        }
        if (!isText(files.get(editedFile))) {
            throw new IllegalArgumentException("document " + name + " has no text file " + editedFile + " to edit");
        }
    }

    /** Whether the bytes are UTF-8 text that can travel inline in a compile request. */
    public static boolean isText(byte[] content) {
        if (content == null) {
            return false;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content));
        } catch (CharacterCodingException e) {
            return false;
        }
        for (byte b : content) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }
}
