package org.texfarm.synctex;

/**
 * A box on a PDF page, in big points from the page's top left corner, as {@code synctex view}
 * prints it: {@code v} is the box's bottom (baseline plus depth) and {@code height} its height
 * plus depth.
 */
public record PdfBox(int page, double h, double v, double width, double height) {
}
