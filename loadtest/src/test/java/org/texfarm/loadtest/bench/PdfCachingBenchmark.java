package org.texfarm.loadtest.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.texfarm.RunningService;
import org.texfarm.sync.Sha256;

/**
 * What PDF caching saves a viewer, and what it costs: a picture-heavy document (text and a dozen
 * photographs as JPEG) edited by one word, again and again, compiled with and without
 * {@code enablePdfCaching}, alternately. For each edit: the bytes a viewer must fetch (without
 * caching the whole PDF; with it, the PDF less the ranges whose hash the previous build had, which
 * a viewer that showed that build has), how many pictures kept their hash, and the time the ranges
 * add ({@code compute-pdf-caching}, and {@code compileE2E} with and without). Prints medians as a
 * Markdown table. Run it with {@code compile-service/benchmark pdf-caching}.
 */
public final class PdfCachingBenchmark {
    private static final int PICTURES = 12;

    private PdfCachingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = Integer.parseInt(System.getProperty("samples", "7"));
        int warmup = Integer.parseInt(System.getProperty("warmup", "2"));
        try (RunningService service = RunningService.start(Map.of())) {
            Map<String, String> pictures = new HashMap<>();
            List<Sample> cached = new ArrayList<>();
            List<Sample> plain = new ArrayList<>();
            Edit withCaching = new Edit(service, "pdf-caching-on", true, pictures);
            Edit without = new Edit(service, "pdf-caching-off", false, pictures);
            for (int i = 0; i < warmup + samples; i++) {
                Sample on = withCaching.next(i);
                Sample off = without.next(i);
                if (i >= warmup) {
                    cached.add(on);
                    plain.add(off);
                }
            }
            long pdfSize = median(cached.stream().mapToLong(Sample::pdfBytes).toArray());
            long fetched = median(cached.stream().mapToLong(Sample::fetchBytes).toArray());
            System.out.println();
            System.out.printf(Locale.ROOT, "%d one-word edits after %d warm-up, each compiled with and without caching; medians.%n%n",
                    samples, warmup);
            System.out.println("| document | PDF | fetched after an edit, without caching | with caching | share | pictures that kept"
                    + " their hash, of those that are ranges | ranges (new) | compute-pdf-caching | compileE2E with caching | without |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| %d pages of text, %d photographs | %d KB | %d KB | %d KB | %.1f%% | %d of %d | %d (%d) | %d ms"
                            + " | %d ms | %d ms |%n",
                    cached.getFirst().pages(), PICTURES, pdfSize / 1000, median(plain.stream().mapToLong(Sample::pdfBytes).toArray()) / 1000,
                    fetched / 1000, 100.0 * fetched / pdfSize, median(cached.stream().mapToLong(Sample::picturesKept).toArray()),
                    median(cached.stream().mapToLong(Sample::pictureRanges).toArray()),
                    median(cached.stream().mapToLong(Sample::ranges).toArray()), median(cached.stream().mapToLong(Sample::newRanges).toArray()),
                    median(cached.stream().mapToLong(Sample::computeMillis).toArray()),
                    median(cached.stream().mapToLong(Sample::e2eMillis).toArray()), median(plain.stream().mapToLong(Sample::e2eMillis).toArray()));
        }
    }

    /** One edit's figures. */
    private record Sample(long pdfBytes, long fetchBytes, long picturesKept, long pictureRanges, long ranges, long newRanges,
                          long computeMillis, long e2eMillis, long pages) {
    }

    /** A project edited by one word per compile, its pictures uploaded by hash once. */
    private static final class Edit {
        private final RunningService service;
        private final String project;
        private final boolean caching;
        private final Map<String, String> pictures;
        private Set<String> previousHashes = Set.of();

        Edit(RunningService service, String project, boolean caching, Map<String, String> pictures) throws Exception {
            this.service = service;
            this.project = project;
            this.caching = caching;
            this.pictures = pictures;
            for (int i = 0; i < PICTURES; i++) {
                byte[] jpeg = photograph(i);
                String hash = Sha256.of(jpeg).hex();
                pictures.put("photo" + i + ".jpg", hash);
                RunningService.Response uploaded = service.send(HttpRequest.newBuilder(service.uri("/project/" + project + "/files/" + hash))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg)));
                if (uploaded.status() != 204) {
                    throw new IllegalStateException("upload failed: " + uploaded.text());
                }
            }
        }

        Sample next(int edit) {
            StringBuilder main = new StringBuilder("\\documentclass{article}\n\\usepackage{graphicx,lipsum}\n\\begin{document}\n")
                    .append("Edit number ").append(edit).append(".\n\n");
            JsonArray resources = new JsonArray();
            for (int i = 0; i < PICTURES; i++) {
                main.append("\\section{Part ").append(i).append("}\n\\lipsum[").append(i * 3 + 1).append('-').append(i * 3 + 3)
                        .append("]\n\\begin{figure}[h]\\centering\\includegraphics[width=0.8\\linewidth]{photo").append(i)
                        .append("}\\caption{Photograph ").append(i).append("}\\end{figure}\n");
                resources.add(new JsonObject().put("path", "photo" + i + ".jpg").put("hash", pictures.get("photo" + i + ".jpg")));
            }
            main.append("\\end{document}\n");
            resources.add(new JsonObject().put("path", "main.tex").put("content", main.toString()));
            JsonObject options = new JsonObject().put("compiler", "pdflatex").put("timeout", 120).put("enablePdfCaching", caching);
            RunningService.Response compiled = service.compile(project, new JsonObject().put("compile", new JsonObject()
                    .put("options", options).put("rootResourcePath", "main.tex").put("resources", resources)));
            JsonObject compile = compiled.compile();
            if (!"success".equals(compile.getString("status"))) {
                throw new IllegalStateException("compile failed: " + compiled.text());
            }
            JsonObject pdf = null;
            for (Object file : compile.getJsonArray("outputFiles")) {
                if (((JsonObject) file).getString("path").equals("output.pdf")) {
                    pdf = (JsonObject) file;
                }
            }
            long size = pdf.getLong("size");
            JsonObject stats = compile.getJsonObject("stats");
            JsonObject timings = compile.getJsonObject("timings");
            byte[] pdfBytes = service.download(pdf.getString("url"));
            long pages = pageCount(pdfBytes);
            if (!caching) {
                return new Sample(size, size, 0, 0, 0, 0, 0, timings.getLong("compileE2E"), pages);
            }
            Set<String> hashes = new HashSet<>();
            long reused = 0;
            long picturesKept = 0;
            long pictureRanges = 0;
            for (Object entry : pdf.getJsonArray("ranges")) {
                JsonObject range = (JsonObject) entry;
                long length = range.getLong("end") - range.getLong("start");
                String hash = range.getString("hash");
                hashes.add(hash);
                boolean picture = isPicture(pdfBytes, range.getInteger("start"));
                if (picture) {
                    pictureRanges++;
                }
                if (previousHashes.contains(hash)) {
                    reused += length;
                    if (picture) {
                        picturesKept++;
                    }
                }
            }
            previousHashes = hashes;
            return new Sample(size, size - reused, picturesKept, pictureRanges, hashes.size(), stats.getLong("pdf-caching-n-new-ranges"),
                    timings.getLong("compute-pdf-caching"), timings.getLong("compileE2E"), pages);
        }
    }

    /** Whether the object at a range's start is a picture: its dictionary, which comes first, says {@code /Image}. */
    private static boolean isPicture(byte[] pdf, int start) {
        String head = new String(pdf, start, Math.min(200, pdf.length - start), StandardCharsets.ISO_8859_1);
        return head.replace(" ", "").contains("/Subtype/Image");
    }

    private static long pageCount(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return document.getNumberOfPages();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A photograph-like JPEG: smooth colour fields with grain, about 100 KB at 800 x 600. */
    private static byte[] photograph(long seed) throws Exception {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        int r0 = random.nextInt(256);
        int g0 = random.nextInt(256);
        int b0 = random.nextInt(256);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int grain = random.nextInt(48) - 24;
                int r = clamp(r0 + x / 8 + grain);
                int g = clamp(g0 + y / 6 + grain);
                int b = clamp(b0 + (x + y) / 12 + grain);
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", jpeg);
        return jpeg.toByteArray();
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
