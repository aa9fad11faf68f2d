package org.texfarm.config;

import java.time.Duration;

/**
 * Document conversions (CLSI's {@code /convert/...} and project-to-document routes).
 *
 * @param documents whether pandoc conversions are on (Word or Markdown to LaTeX, LaTeX to Word,
 *                  Markdown or HTML); off, their routes answer 404 as CLSI's do
 * @param pdfs      whether PDF-to-JPEG previews are on; off, its route answers 404
 * @param image     the image with pandoc and pdftocairo that conversions run in
 * @param group     the compile group whose sandbox limits and slots conversions use
 * @param timeout   how long one conversion may run
 */
public record ConversionSettings(boolean documents, boolean pdfs, String image, CompileGroup group, Duration timeout) {
    public static final String DEFAULT_IMAGE = "texfarm-conversions:trixie";

    /** Whether any conversion is on, and so needs its image. */
    public boolean any() {
        return documents || pdfs;
    }
}
