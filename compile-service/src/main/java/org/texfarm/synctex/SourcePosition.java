package org.texfarm.synctex;

/**
 * A place in a project's source: {@code file} relative to the project, {@code line} from 1,
 * {@code column} -1 when TeX does not record one (pdfTeX never does).
 */
public record SourcePosition(String file, int line, int column) {
}
