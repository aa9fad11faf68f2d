package org.texfarm.loadtest.corpus;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A 60-page thesis in many files: a root {@code main.tex} (title page, abstract, contents, list of
 * figures, an appendix) that includes six chapters of sections, prose, aligned equations, a
 * booktabs table and two PNG figures each, with cross references and citations of a 30-entry
 * BibTeX file.
 *
 * <p>It stands for the large projects of a compile farm: a compile that takes seconds rather than
 * milliseconds, needs latexmk's reruns and a BibTeX pass to settle its references, and fetches
 * binary figures besides its text files.
 */
public final class ThesisGenerator {

    private static final int CHAPTERS = 6;
    private static final int SECTIONS_PER_CHAPTER = 4;
    private static final int SUBSECTIONS_PER_SECTION = 3;
    private static final int REFERENCES = 30;
    /** Each chapter is the first to cite its own share of the references, so all are cited. */
    private static final int REFERENCES_PER_CHAPTER = REFERENCES / CHAPTERS;
    private static final long SEED = 20240601L;
    /** The figures' size in pixels, and the blank border around their plots. */
    private static final int WIDTH = 400;
    private static final int HEIGHT = 300;
    private static final int MARGIN = 40;

    private static final String[] CHAPTER_TITLES = {
        "Introduction", "Background and Related Work", "Methods",
        "Experimental Setup", "Results", "Discussion and Conclusions"
    };

    private static final String[] NOUNS = {
        "method", "model", "result", "sample", "measurement", "process", "system", "network",
        "signal", "value", "structure", "boundary", "experiment", "estimate", "parameter",
        "surface", "pattern", "layer", "approach", "theory", "design", "region", "series",
        "function", "variable", "condition", "response", "material", "program", "question",
        "effect", "field", "analysis", "interval", "observation", "framework", "component",
        "algorithm", "sensor", "domain", "average", "error", "change", "limit", "factor",
        "source", "record", "group", "problem", "solution", "argument", "study", "detail"
    };

    private static final String[] VERBS = {
        "shows", "improves", "requires", "describes", "reduces", "follows", "supports",
        "explains", "changes", "produces", "controls", "affects", "extends", "limits", "reveals",
        "measures", "defines", "predicts", "suggests", "contains", "replaces", "separates",
        "combines", "confirms", "balances", "captures", "reflects", "determines", "shapes"
    };

    private static final String[] ADJECTIVES = {
        "simple", "large", "stable", "small", "accurate", "different", "common", "linear",
        "careful", "direct", "general", "typical", "useful", "complete", "recent",
        "strong", "weak", "early", "final", "local", "global", "physical", "practical", "clear",
        "constant", "random", "natural", "regular", "important", "similar", "standard", "robust"
    };

    private static final String[] ADVERBS = {
        "clearly", "often", "rarely", "usually", "also", "still", "mostly", "largely", "only"
    };

    private static final String[] PREPOSITIONS = {
        "in", "of", "for", "with", "under", "across", "near", "after", "before", "within",
        "through", "beyond", "along"
    };

    private static final String[] DETERMINERS = {"the", "this", "each", "our", "every", "one"};

    private static final String[] CONNECTORS = {
        ", and", ", but", ", while", " because", ", so", " when", " although", ", whereas"
    };

    private static final String[] SURNAMES = {
        "Ahlberg", "Bianchi", "Castellano", "Dubois", "Eriksen", "Fischer", "Gallagher",
        "Haugen", "Ishikawa", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor",
        "Petrov", "Quintero", "Rasmussen", "Schneider", "Takahashi", "Urquhart", "Vasquez",
        "Whitfield", "Xavier", "Yamamoto", "Zimmermann", "Abernathy", "Brennan", "Delacroix",
        "Feldman"
    };

    private static final String[] JOURNALS = {
        "Journal of Applied Analysis", "Computational Methods Quarterly",
        "Review of Experimental Systems", "Annals of Numerical Modelling",
        "International Journal of Signal Processing"
    };

    private static final String[] PUBLISHERS = {
        "Cambridge University Press", "Springer", "Oxford University Press", "Wiley", "MIT Press"
    };

    /** Pairs of aligned equation lines; each chapter shows three of them. */
    private static final String[][] EQUATION_PAIRS = {
        {"E(\\theta) &= \\frac{1}{n} \\sum_{i=1}^{n} \\bigl( y_i - f(x_i; \\theta) \\bigr)^2",
         "\\nabla E(\\theta) &= -\\frac{2}{n} \\sum_{i=1}^{n} \\bigl( y_i - f(x_i; \\theta) \\bigr)"
             + " \\nabla f(x_i; \\theta)"},
        {"\\frac{\\partial u}{\\partial t} &= \\kappa \\frac{\\partial^2 u}{\\partial x^2}"
             + " + \\lambda u, \\qquad x \\in \\Omega \\subset \\mathbb{R}",
         "u(x, t) &= \\int_{0}^{t} \\int_{\\Omega} G(x - y, t - s)\\, g(y, s)"
             + " \\,\\mathrm{d}y \\,\\mathrm{d}s"},
        {"P(A \\mid B) &= \\frac{P(B \\mid A)\\, P(A)}{P(B)}",
         "P(B) &= \\sum_{k=1}^{m} P(B \\mid A_k)\\, P(A_k)"},
        {"\\lVert x_{k+1} - x^{\\ast} \\rVert &\\leq \\rho \\lVert x_k - x^{\\ast} \\rVert,"
             + " \\qquad 0 < \\rho < 1",
         "\\lVert x_k - x^{\\ast} \\rVert &\\leq \\rho^k \\lVert x_0 - x^{\\ast} \\rVert"},
        {"\\hat{f}(\\omega) &= \\int_{-\\infty}^{\\infty} f(t)\\, e^{-2 \\pi i \\omega t}"
             + " \\,\\mathrm{d}t",
         "\\sum_{k \\in \\mathbb{Z}} \\lvert c_k \\rvert^2 &= \\frac{1}{T}"
             + " \\int_{0}^{T} \\lvert f(t) \\rvert^2 \\,\\mathrm{d}t"},
        {"\\mathbf{A} \\mathbf{v} &= \\lambda \\mathbf{v}, \\qquad"
             + " \\det(\\mathbf{A} - \\lambda \\mathbf{I}) = 0",
         "\\operatorname{tr}(\\mathbf{A}) &= \\sum_{j=1}^{d} \\lambda_j \\geq"
             + " \\lambda_{\\min} \\, d"}
    };

    private ThesisGenerator() {
    }

    /** The thesis's files by relative path ("main.tex" is the root); the same bytes on every call. */
    public static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("main.tex", utf8(mainTex()));
        for (int chapter = 1; chapter <= CHAPTERS; chapter++) {
            files.put("chapters/chapter" + chapter + ".tex", utf8(chapterTex(chapter)));
        }
        files.put("refs.bib", utf8(bibliography()));
        for (int chapter = 1; chapter <= CHAPTERS; chapter++) {
            files.put(figurePath(chapter, 1), png(linePlot(new Random(SEED + 100 + chapter))));
            files.put(figurePath(chapter, 2), png(barChart(new Random(SEED + 200 + chapter))));
        }
        return files;
    }

    private static String mainTex() {
        Random random = new Random(SEED);
        StringBuilder tex = new StringBuilder("""
            \\documentclass[11pt,a4paper]{report}
            \\usepackage[margin=2.5cm]{geometry}
            \\usepackage{amsmath}
            \\usepackage{amssymb}
            \\usepackage{graphicx}
            \\usepackage{booktabs}
            \\usepackage{microtype}
            \\usepackage{hyperref}

            \\begin{document}

            % Distinct page numbering for the title page, the front matter and the body, so that
            % hyperref's page anchors stay unique.
            \\pagenumbering{alph}
            \\begin{titlepage}
              \\centering
              \\vspace*{3cm}
              {\\Huge\\bfseries Stable Methods for the Analysis of Physical Signals\\par}
              \\vspace{2cm}
              {\\Large A. N. Author\\par}
              \\vspace{1cm}
              A thesis submitted for the degree of Doctor of Philosophy\\par
              \\vspace{0.5cm}
              Department of Applied Mathematics\\par
              \\vfill
              {\\large 2024\\par}
            \\end{titlepage}
            \\pagenumbering{roman}

            \\chapter*{Abstract}

            """);
        tex.append(paragraph(random, null)).append("""


            \\tableofcontents
            \\listoffigures
            \\cleardoublepage
            \\pagenumbering{arabic}

            """);
        for (int chapter = 1; chapter <= CHAPTERS; chapter++) {
            tex.append("\\include{chapters/chapter").append(chapter).append("}\n");
        }
        tex.append("""

            \\appendix
            \\chapter{Supplementary Material}

            """);
        for (int i = 0; i < 4; i++) {
            tex.append(paragraph(random, null)).append("\n\n");
        }
        tex.append("""
            \\bibliographystyle{plain}
            \\bibliography{refs}

            \\end{document}
            """);
        return tex.toString();
    }

    private static String chapterTex(int chapter) {
        Random random = new Random(SEED + chapter);
        List<String> labels = chapterLabels(chapter);
        List<String> citationKeys = citationKeysFirstCitedIn(chapter);
        StringBuilder tex = new StringBuilder();
        tex.append("\\chapter{").append(CHAPTER_TITLES[chapter - 1]).append("}\n")
            .append("\\label{chap:").append(chapter).append("}\n\n");
        int subsectionIndex = 0;
        for (int section = 1; section <= SECTIONS_PER_CHAPTER; section++) {
            tex.append("\\section{").append(title(random)).append("}\n")
                .append("\\label{sec:").append(chapter).append('-').append(section).append("}\n\n");
            for (int subsection = 1; subsection <= SUBSECTIONS_PER_SECTION; subsection++) {
                tex.append("\\subsection{").append(title(random)).append("}\n\n");
                // The chapter's own references first, then any, so that every entry is cited.
                String citation = subsectionIndex < citationKeys.size()
                    ? citationKeys.get(subsectionIndex)
                    : citation(random);
                tex.append(paragraph(random, "\\cite{" + citation + "}")).append("\n\n");
                tex.append(insertAfterFirstParagraph(chapter, subsectionIndex, random));
                int paragraphs = 2 + random.nextInt(3);
                for (int i = 0; i < paragraphs; i++) {
                    String extra = random.nextInt(3) == 0
                        ? crossReference(random, labels)
                        : null;
                    tex.append(paragraph(random, extra)).append("\n\n");
                }
                subsectionIndex++;
            }
        }
        return tex.toString();
    }

    /** Spreads a chapter's figures, table and equation blocks over its subsections. */
    private static String insertAfterFirstParagraph(int chapter, int subsectionIndex, Random random) {
        return switch (subsectionIndex) {
            case 0 -> figure(chapter, 1, random);
            case 2 -> equations(chapter, 1);
            case 4 -> table(chapter, random);
            case 6 -> figure(chapter, 2, random);
            case 8 -> equations(chapter, 2);
            case 10 -> equations(chapter, 3);
            default -> "";
        };
    }

    /** Everything a chapter's prose may point to: its own labels and the chapters before it. */
    private static List<String> chapterLabels(int chapter) {
        List<String> labels = new ArrayList<>();
        for (int earlier = 1; earlier <= chapter; earlier++) {
            labels.add("chap:" + earlier);
        }
        for (int section = 1; section <= SECTIONS_PER_CHAPTER; section++) {
            labels.add("sec:" + chapter + "-" + section);
        }
        labels.add("fig:" + chapter + "-1");
        labels.add("fig:" + chapter + "-2");
        labels.add("tab:" + chapter);
        for (int equation = 1; equation <= 6; equation++) {
            labels.add("eq:" + chapter + "-" + equation);
        }
        return labels;
    }

    private static String crossReference(Random random, List<String> labels) {
        String label = labels.get(random.nextInt(labels.size()));
        String target = switch (label.substring(0, label.indexOf(':'))) {
            case "chap" -> "Chapter~\\ref{" + label + "}";
            case "sec" -> "Section~\\ref{" + label + "}";
            case "fig" -> "Figure~\\ref{" + label + "}";
            case "tab" -> "Table~\\ref{" + label + "}";
            default -> "Equation~\\eqref{" + label + "}";
        };
        return random.nextBoolean()
            ? "as " + target + " shows"
            : "see " + target;
    }

    private static String figure(int chapter, int index, Random random) {
        return """
            \\begin{figure}[htbp]
              \\centering
              \\includegraphics[width=0.7\\textwidth]{%s}
              \\caption{%s}
              \\label{fig:%d-%d}
            \\end{figure}

            """.formatted(figurePath(chapter, index), caption(random), chapter, index);
    }

    private static String figurePath(int chapter, int index) {
        return "figures/fig" + chapter + "-" + index + ".png";
    }

    private static String equations(int chapter, int block) {
        String[] lines = EQUATION_PAIRS[(chapter + block) % EQUATION_PAIRS.length];
        int first = 2 * block - 1;
        return """
            \\begin{align}
              %s \\label{eq:%d-%d} \\\\
              %s \\label{eq:%d-%d}
            \\end{align}

            """.formatted(lines[0], chapter, first, lines[1], chapter, first + 1);
    }

    private static String table(int chapter, Random random) {
        StringBuilder rows = new StringBuilder();
        for (int row = 1; row <= 6; row++) {
            rows.append("    Configuration ").append((char) ('A' + row - 1))
                .append(" & ").append(100 + random.nextInt(900))
                .append(String.format(Locale.ROOT, " & %.2f", random.nextDouble() * 50))
                .append(String.format(Locale.ROOT, " & %.3f", random.nextDouble()))
                .append(" \\\\\n");
        }
        return """
            \\begin{table}[htbp]
              \\centering
              \\caption{%s}
              \\label{tab:%d}
              \\begin{tabular}{lrrr}
                \\toprule
                Setting & Samples & Mean & Deviation \\\\
                \\midrule
            %s    \\bottomrule
              \\end{tabular}
            \\end{table}

            """.formatted(caption(random), chapter, rows);
    }

    /** The keys that chapter {@code chapter} cites first; together the chapters cite every entry. */
    private static List<String> citationKeysFirstCitedIn(int chapter) {
        int first = (chapter - 1) * REFERENCES_PER_CHAPTER;
        List<String> keys = new ArrayList<>();
        for (int i = first; i < first + REFERENCES_PER_CHAPTER; i++) {
            keys.add(citationKey(i));
        }
        return keys;
    }

    private static String citation(Random random) {
        String key = citationKey(random.nextInt(REFERENCES));
        return random.nextInt(4) == 0
            ? key + "," + citationKey(random.nextInt(REFERENCES))
            : key;
    }

    private static String citationKey(int reference) {
        return SURNAMES[reference].toLowerCase() + (1985 + reference);
    }

    private static String bibliography() {
        Random random = new Random(SEED + 1000);
        StringBuilder bib = new StringBuilder();
        for (int reference = 0; reference < REFERENCES; reference++) {
            String authors = SURNAMES[reference] + ", " + initial(random)
                + (random.nextBoolean()
                    ? " and " + coauthor(reference, random) + ", " + initial(random)
                    : "");
            String common = "  author    = {" + authors + "},\n"
                + "  title     = {" + capitalizedTitle(random) + "},\n"
                + "  year      = {" + (1985 + reference) + "},\n";
            int firstPage = 1 + random.nextInt(400);
            String pages = "  pages     = {" + firstPage + "--" + (firstPage + 8 + random.nextInt(20)) + "},\n";
            String entry = switch (reference % 3) {
                case 0 -> "@article{" + citationKey(reference) + ",\n" + common
                    + "  journal   = {" + JOURNALS[random.nextInt(JOURNALS.length)] + "},\n"
                    + "  volume    = {" + (1 + random.nextInt(40)) + "},\n"
                    + "  number    = {" + (1 + random.nextInt(6)) + "},\n" + pages;
                case 1 -> "@book{" + citationKey(reference) + ",\n" + common
                    + "  publisher = {" + PUBLISHERS[random.nextInt(PUBLISHERS.length)] + "},\n";
                default -> "@inproceedings{" + citationKey(reference) + ",\n" + common
                    + "  booktitle = {Proceedings of the Conference on "
                    + capitalize(pick(random, ADJECTIVES)) + " " + capitalize(pick(random, NOUNS))
                    + " Analysis},\n" + pages;
            };
            bib.append(entry).append("}\n\n");
        }
        return bib.toString();
    }

    /** Any surname but the first author's. */
    private static String coauthor(int reference, Random random) {
        return SURNAMES[(reference + 1 + random.nextInt(SURNAMES.length - 1)) % SURNAMES.length];
    }

    private static String initial(Random random) {
        return (char) ('A' + random.nextInt(26)) + ".";
    }

    private static String capitalizedTitle(Random random) {
        return capitalize(pick(random, ADJECTIVES)) + " " + capitalize(pick(random, NOUNS))
            + " for the " + capitalize(pick(random, NOUNS)) + " of "
            + capitalize(pick(random, ADJECTIVES)) + " " + capitalize(pick(random, NOUNS));
    }

    private static String title(Random random) {
        return random.nextBoolean()
            ? capitalize(pick(random, ADJECTIVES)) + " " + capitalize(pick(random, NOUNS))
            : capitalize(pick(random, NOUNS)) + " and " + capitalize(pick(random, NOUNS))
                + " of the " + capitalize(pick(random, NOUNS));
    }

    /** A paragraph of 3 to 7 sentences; {@code extra} (a citation or reference) joins one of them. */
    private static String paragraph(Random random, String extra) {
        int sentences = 3 + random.nextInt(5);
        int withExtra = random.nextInt(sentences);
        StringBuilder paragraph = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                paragraph.append(' ');
            }
            paragraph.append(sentence(random, i == withExtra ? extra : null));
        }
        return paragraph.toString();
    }

    /** One to three clauses joined by connectors, so sentence lengths vary from 5 to 30 words. */
    private static String sentence(Random random, String extra) {
        StringBuilder sentence = new StringBuilder(clause(random));
        int moreClauses = random.nextInt(3);
        for (int i = 0; i < moreClauses; i++) {
            sentence.append(pick(random, CONNECTORS)).append(' ').append(clause(random));
        }
        if (extra != null) {
            // A reference reads as an aside; a citation (\cite) attaches with a tie.
            sentence.append(extra.startsWith("\\") ? "~" : ", ").append(extra);
        }
        return capitalize(sentence.toString()) + ".";
    }

    private static String caption(Random random) {
        return capitalize(clause(random)) + ".";
    }

    private static String clause(Random random) {
        StringBuilder clause = new StringBuilder(nounPhrase(random));
        if (random.nextInt(4) == 0) {
            clause.append(' ').append(pick(random, ADVERBS));
        }
        clause.append(' ').append(pick(random, VERBS)).append(' ').append(nounPhrase(random));
        if (random.nextBoolean()) {
            clause.append(' ').append(pick(random, PREPOSITIONS)).append(" the ")
                .append(pick(random, NOUNS));
        } else if (random.nextInt(16) == 0) {
            clause.append(" for $n = ").append(2 + random.nextInt(98)).append('$');
        }
        return clause.toString();
    }

    private static String nounPhrase(Random random) {
        return pick(random, DETERMINERS) + " "
            + (random.nextBoolean() ? pick(random, ADJECTIVES) + " " : "")
            + pick(random, NOUNS);
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Axes, a light grid and a damped oscillation with chapter-specific constants. */
    private static BufferedImage linePlot(Random random) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = canvas(image);
        double frequency = 2 + random.nextDouble() * 6;
        double damping = 0.5 + random.nextDouble() * 2;
        Path2D.Double curve = new Path2D.Double();
        int plotWidth = WIDTH - 2 * MARGIN;
        int middle = HEIGHT / 2;
        for (int x = 0; x <= plotWidth; x++) {
            double t = (double) x / plotWidth;
            double y = Math.exp(-damping * t) * Math.cos(2 * Math.PI * frequency * t);
            double pixelY = middle - y * (middle - MARGIN);
            if (x == 0) {
                curve.moveTo(MARGIN, pixelY);
            } else {
                curve.lineTo(MARGIN + x, pixelY);
            }
        }
        graphics.setColor(new Color(0x1f, 0x4e, 0x9c));
        graphics.setStroke(new BasicStroke(2f));
        graphics.draw(curve);
        graphics.dispose();
        return image;
    }

    /** Axes, a light grid and eight bars of random heights. */
    private static BufferedImage barChart(Random random) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = canvas(image);
        int bars = 8;
        int slot = (WIDTH - 2 * MARGIN) / bars;
        int plotHeight = HEIGHT - 2 * MARGIN;
        graphics.setColor(new Color(0xc0, 0x50, 0x30));
        for (int bar = 0; bar < bars; bar++) {
            int height = (int) (plotHeight * (0.2 + 0.8 * random.nextDouble()));
            graphics.fillRect(MARGIN + bar * slot + slot / 5, HEIGHT - MARGIN - height,
                slot * 3 / 5, height);
        }
        graphics.dispose();
        return image;
    }

    /** A white image with a grid and axes, ready for a plot to be drawn over it. */
    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D graphics = image.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        graphics.setColor(Color.WHITE);
        graphics.fillRect(0, 0, WIDTH, HEIGHT);
        graphics.setColor(new Color(0xe0, 0xe0, 0xe0));
        for (int x = MARGIN; x <= WIDTH - MARGIN; x += 40) {
            graphics.drawLine(x, MARGIN, x, HEIGHT - MARGIN);
        }
        for (int y = MARGIN; y <= HEIGHT - MARGIN; y += 40) {
            graphics.drawLine(MARGIN, y, WIDTH - MARGIN, y);
        }
        graphics.setColor(Color.BLACK);
        graphics.setStroke(new BasicStroke(1.5f));
        graphics.drawLine(MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN);
        graphics.drawLine(MARGIN, MARGIN, MARGIN, HEIGHT - MARGIN);
        return graphics;
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a figure as PNG", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
