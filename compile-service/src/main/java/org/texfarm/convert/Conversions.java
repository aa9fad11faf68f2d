package org.texfarm.convert;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.texfarm.InvalidRequestException;
import org.texfarm.ProjectKey;
import org.texfarm.RandomIds;
import org.texfarm.compile.CompileRequest;
import org.texfarm.compile.CompileService;
import org.texfarm.compile.Storage;
import org.texfarm.config.ConversionSettings;
import org.texfarm.output.BuildId;
import org.texfarm.output.OutputLimits;
import org.texfarm.sandbox.DockerSandbox;
import org.texfarm.sandbox.SandboxJob;
import org.texfarm.sandbox.SandboxResult;
import org.texfarm.sandbox.SandboxUnavailableException;
import org.texfarm.sandbox.StopSignal;
import org.texfarm.sync.SafeFiles;
import org.texfarm.sync.SyncConflictException;
import org.texfarm.sync.SyncType;

/**
 * CLSI's conversions: a Word or Markdown document to LaTeX, a project's LaTeX to a Word, Markdown
 * or HTML document (pandoc), and a PDF's first page to a JPEG (pdftocairo). Each runs in a
 * sandbox of the conversion image with the limits of the conversion group, in a directory of its
 * own that is never a project's and whose sandbox is never kept, and takes a compile slot of that
 * group as a compile would. Its inputs and outputs are deleted once sent; an output fetched later
 * (project-to-document's JSON answer) is a build of its own, deleted after {@link #OUTPUT_LIFETIME}.
 */
public final class Conversions {
    private static final Logger log = LoggerFactory.getLogger(Conversions.class);
    static final String LATEX_MAIN = "main.tex";
    private static final String MEDIA = "media";
    /** How long an output fetched by its URL stays: CLSI keeps it a minute; an editor fetches it at once. */
    static final Duration OUTPUT_LIFETIME = Duration.ofMinutes(10);

    private final ConversionSettings settings;
    private final CompileService compiles;
    private final DockerSandbox sandbox;
    private final Storage storage;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    public Conversions(ConversionSettings settings, CompileService compiles, DockerSandbox sandbox,
                       Storage storage, Clock clock, ScheduledExecutorService timer) {
        this.settings = settings;
        this.compiles = compiles;
        this.sandbox = sandbox;
        this.storage = storage;
        this.clock = clock;
        this.timer = timer;
    }

    /** JPEG previews of a PDF's first page, as CLSI makes them. */
    public enum JpegMode {
        PREVIEW(794, 90), THUMBNAIL(190, 50);

        private final int width;
        private final int quality;

        JpegMode(int width, int quality) {
            this.width = width;
            this.quality = quality;
        }

        public static JpegMode fromWireName(String name) {
            for (JpegMode mode : values()) {
                if (mode.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return mode;
                }
            }
            throw new InvalidRequestException("mode must be 'preview' or 'thumbnail', not '" + name + "'");
        }
    }

    /**
     * Where a project-to-document output can be fetched: {@code /project/<conversionId>/build/<buildId>/output/<file>}.
     */
    public record StoredOutput(String conversionId, String buildId, String file) {
    }

    /** A Word or Markdown upload as LaTeX: a zip of {@code main.tex} and the pictures it shows under {@code media/}. */
    public Converted documentToLatex(Path upload, DocumentType type)
            throws IOException, InterruptedException, SandboxUnavailableException {
        return inNewDirectory(dir -> {
            storage.sync().fillWithFile(dir, type.inputName(), upload);
            run(dir, type.command());
            Path zip = dir.resolve("." + RandomIds.hex(8) + ".zip");
            zip(dir, file -> List.of(LATEX_MAIN, MEDIA).contains(file.getName(0).toString()), zip);
            return new Converted(zip, "conversion.zip", dir);
        });
    }

    /** The first page of an uploaded PDF as a JPEG of the mode's width. */
    public Converted pdfToJpeg(Path upload, JpegMode mode) throws IOException, InterruptedException, SandboxUnavailableException {
        return inNewDirectory(dir -> {
            storage.sync().fillWithFile(dir, "input.pdf", upload);
            run(dir, List.of("pdftocairo", "-jpeg", "-jpegopt", "quality=" + mode.quality, "-singlefile",
                    "-scale-to-x", Integer.toString(mode.width), "-scale-to-y", "-1", "input.pdf", "output"));
            Path jpeg = dir.resolve("output.jpg");
            if (!SafeFiles.isRealFile(jpeg)) {
                throw new ConversionFailedException("pdftocairo made no image of the PDF", 0);
            }
            return new Converted(jpeg, "output.jpg", dir);
        });
    }

    /**
     * A compile request's project as a document, to send at once. Its resources are synced as a
     * compile's would be, under a project key of their own that is forgotten at once.
     */
    public Converted projectToDocument(CompileRequest request, ExportType type)
            throws IOException, InterruptedException, SandboxUnavailableException {
        ProjectKey key = ProjectKey.of(UUID.randomUUID().toString(), null);
        try {
            return export(key, request, type);
        } finally {
            storage.sync().forget(key);
        }
    }

    /**
     * A compile request's project as a document, kept as a build of its own for
     * {@link #OUTPUT_LIFETIME}: CLSI's two-step answer ({@code responseFormat=json}). The build's
     * project id is the conversion id.
     */
    public StoredOutput storeProjectAsDocument(CompileRequest request, ExportType type)
            throws IOException, InterruptedException, SandboxUnavailableException {
        String conversionId = UUID.randomUUID().toString();
        ProjectKey key = ProjectKey.of(conversionId, null);
        try (Converted converted = export(key, request, type)) {
            Path staging = Files.createDirectory(converted.directory().resolve("." + RandomIds.hex(8)));
            Files.move(converted.file(), staging.resolve(type.outputName()));
            String buildId = BuildId.next(clock);
            storage.builds().save(key, buildId, staging, Set.of(), "", "", OutputLimits.of(settings.group().limits()));
            timer.schedule(() -> deleteOutput(key), OUTPUT_LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
            return new StoredOutput(conversionId, buildId, type.outputName());
        } catch (IOException | InterruptedException | SandboxUnavailableException | RuntimeException e) {
            storage.sync().forget(key);
            throw e;
        }
    }

    /** Deletes a stored output; were the service to stop first, the project's expiry deletes it, as its state records it. */
    private void deleteOutput(ProjectKey output) {
        try {
            storage.builds().deleteAll(output);
            storage.sync().forget(output);
        } catch (IOException e) {
            log.warn("cannot delete the conversion output {}: {}", output, e.getMessage());
        }
    }

    /** Syncs the request's resources into a new directory under {@code key} and runs pandoc there. */
    private Converted export(ProjectKey key, CompileRequest request, ExportType type)
            throws IOException, InterruptedException, SandboxUnavailableException {
        return inNewDirectory(dir -> {
            try {
                storage.sync().sync(key, dir, SyncType.FULL, null, request.root(), request.resources());
            } catch (SyncConflictException e) {
                throw new IllegalStateException("a full sync has no conflict", e);
            }
            String output = "." + RandomIds.hex(8) + (type.zipped() ? "" : ".docx");
            run(dir, type.command(request.root().toString(), output));
            if (!type.zipped()) {
                return new Converted(dir.resolve(output), type.outputName(), dir);
            }
            Path zip = dir.resolve(output + ".zip");
            zip(dir.resolve(output), file -> true, zip);
            return new Converted(zip, type.outputName(), dir);
        });
    }

    /** A conversion's work in its directory. */
    @FunctionalInterface
    private interface Work {
        Converted in(Path dir) throws IOException, InterruptedException, SandboxUnavailableException;
    }

    /** Does the work in a new directory, deleted when the work fails; otherwise the result owns it. */
    private Converted inNewDirectory(Work work) throws IOException, InterruptedException, SandboxUnavailableException {
        Path dir = storage.scratch().resolve("convert-" + RandomIds.hex(8));
        try {
            return work.in(dir);
        } catch (IOException | InterruptedException | SandboxUnavailableException | RuntimeException e) {
            SafeFiles.deleteRecursively(dir);
            throw e;
        }
    }

    /** Runs one command in a fresh sandbox of the conversion image, in a compile slot of the conversion group. */
    private void run(Path dir, List<String> command) throws IOException, InterruptedException, SandboxUnavailableException {
        SandboxJob job = new SandboxJob("convert-" + dir.getFileName(), settings.image(), dir, command, settings.timeout(),
                settings.group().limits(), moved -> { }, SandboxJob.Kind.ONE_OFF, SandboxJob.PdfSteps.NONE);
        SandboxResult result = compiles.inSlot(settings.group(), () -> sandbox.run(job, new StopSignal()));
        switch (result.ending()) {
            case EXITED -> {
                if (result.exitCode() != 0) {
                    String message = result.stderr().isBlank() ? command.getFirst() + " failed" : result.stderr().strip();
                    throw new ConversionFailedException(message, result.exitCode());
                }
            }
            case TIMED_OUT -> throw new ConversionFailedException("the conversion did not finish within "
                    + settings.timeout().toSeconds() + " s", -1);
            case OUT_OF_MEMORY -> throw new ConversionFailedException("the conversion ran out of memory", -1);
            case DISK_FULL -> throw new ConversionFailedException("the conversion outgrew its disk limit", -1);
            case STOPPED, KILLED -> throw new SandboxUnavailableException("the conversion's sandbox was stopped", null);
        }
    }

    /** Zips the files under {@code dir} that {@code include} takes into {@code zip}, which is not among them. */
    private static void zip(Path dir, Predicate<Path> include, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip)) {
            SafeFiles.zip(dir, include, out);
        }
    }
}
