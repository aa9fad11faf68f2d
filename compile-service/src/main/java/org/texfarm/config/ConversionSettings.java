package org.texfarm.config;

import java.time.Duration;

/**
 * Document conversions (CLSI's {@code /convert/...} and project-to-document routes).
 *
 * @param documents whether pandoc conversions are on (Word or Markdown to LaTeX, LaTeX to Word,
 *                  Markdown or HTML); off, their routes answer 404 as CLSI's do
 * @param pdfs      whether PDF-to-JPEG previews are on; off, its route answers 404
 * @param group     the compile group whose sandbox limits, image and slots conversions use
 * @param timeout   how long one conversion may run
 */
public record ConversionSettings(boolean documents, boolean pdfs, CompileGroup group, Duration timeout) {
}
