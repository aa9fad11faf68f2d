package org.texfarm.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.texfarm.loadtest.corpus.Corpus;
import org.texfarm.loadtest.corpus.Document;
import org.texfarm.loadtest.corpus.FileServer;
import org.texfarm.loadtest.drive.LoadModel;
import org.texfarm.loadtest.drive.LoadRun;
import org.texfarm.loadtest.drive.ProgressLine;
import org.texfarm.loadtest.drive.RunLimits;
import org.texfarm.loadtest.report.Report;
import org.texfarm.loadtest.report.ReportWriter;
import org.texfarm.loadtest.report.RunSummary;
import org.texfarm.loadtest.target.BareTarget;
import org.texfarm.loadtest.target.ShellEscapeLevel;
import org.texfarm.loadtest.target.CompileTarget;
import org.texfarm.loadtest.target.ImageRoot;
import org.texfarm.loadtest.target.ServiceTarget;
import org.texfarm.loadtest.workload.CompileKind;
import org.texfarm.loadtest.workload.Weighted;
import org.texfarm.loadtest.workload.Workload;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: drives a compile service, optionally bare latexmk too, and writes the report. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
        abbreviateSynopsis = true,
        description = {
            "Load-tests a CLSI-compatible compile service over its HTTP API and reports latency percentiles,"
                    + " throughput and errors (JSON, Markdown and SVG charts). Sends requests only to --url and to its"
                    + " own file server; stops by itself after --warmup plus --duration, or --max-requests.",
            "Exit status: 0 when every measured compile succeeded or was only rejected, 1 when some failed, 2 on bad usage."})
public final class LoadTest implements Callable<Integer> {

    /** The load models, as the command line names them. */
    enum Model { open, closed }

    @Option(names = "--url", required = true, description = "the compile service's base URL, e.g. http://127.0.0.1:3013")
    URI url;

    @Option(names = "--model", defaultValue = "closed", description = "open (a fixed arrival rate) or closed (editors who"
            + " compile, wait and think); default ${DEFAULT-VALUE}")
    Model model;

    @Option(names = "--rate", defaultValue = "1", description = "open model: compiles per second; default ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--editors", defaultValue = "4", description = "closed model: concurrent editors; default ${DEFAULT-VALUE}")
    int editors;

    @Option(names = "--think", defaultValue = "5s", converter = DurationConverter.class,
            description = "closed model: mean think time between an answer and the next compile (exponential); 0 for"
                    + " back-to-back; default ${DEFAULT-VALUE}")
    Duration think;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
            description = "load before measuring (compiles that start in it are not measured); default ${DEFAULT-VALUE}")
    Duration warmup;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long to measure after the warm-up; default ${DEFAULT-VALUE}")
    Duration duration;

    @Option(names = "--ramp", defaultValue = "0s", converter = DurationConverter.class,
            description = "load rises linearly over this, from the start; default ${DEFAULT-VALUE}")
    Duration ramp;

    @Option(names = "--mix", defaultValue = "first=10,edit=80,unchanged=10",
            description = "weights of first compiles (a new project), edit recompiles (one word changed) and unchanged"
                    + " recompiles; default ${DEFAULT-VALUE}")
    String mix;

    @Option(names = "--documents", description = "weights of the built-in documents (hello, article, tikz, t1, thesis), e.g."
            + " hello=1,thesis=2; default all of them equally, or none when --projects is given")
    String documents;

    @Option(names = "--projects", description = "a folder of your own projects: each subfolder with a main.tex (or the"
            + " folder itself); text files are sent inline, others by URL from the file server")
    Path projects;

    @Option(names = "--compiler", defaultValue = "pdflatex", description = "engine for --projects; default ${DEFAULT-VALUE}")
    String compiler;

    @Option(names = "--max-requests", defaultValue = "100000", description = "most compiles sent in all; default ${DEFAULT-VALUE}")
    long maxRequests;

    @Option(names = "--request-timeout", defaultValue = "300s", converter = DurationConverter.class,
            description = "how long to wait for one answer, and for the compiles in flight at the end; default ${DEFAULT-VALUE}")
    Duration requestTimeout;

    @Option(names = "--compile-timeout", defaultValue = "240", description = "options.timeout sent, in seconds; default ${DEFAULT-VALUE}")
    int compileTimeout;

    @Option(names = "--compile-group", description = "options.compileGroup sent; default none (the service's default group)")
    String compileGroup;

    @Option(names = "--token-env", defaultValue = "API_TOKEN", description = "environment variable holding the service's"
            + " API token, if it requires one; default ${DEFAULT-VALUE}")
    String tokenVariable;

    @Option(names = "--file-server-host", defaultValue = "127.0.0.1", description = "address the file server listens on and"
            + " names in URLs; the service must allow it (URL_ALLOWED_HOSTS); default ${DEFAULT-VALUE}")
    String fileServerHost;

    @Option(names = "--interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "resolution of the charts over time; default ${DEFAULT-VALUE}")
    Duration interval;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the workload's random choices; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--out", defaultValue = "loadtest-report", description = "directory for the report; default ${DEFAULT-VALUE}")
    Path out;

    @Option(names = "--compare-bare", description = "then run the same workload through bare latexmk (chroot in the image's"
            + " files, the service's flags, no service, no container) at the same load, and report the ratios; needs root")
    boolean compareBare;

    @Option(names = "--shell-escape", defaultValue = "restricted", converter = ShellEscapeConverter.class,
            description = "the shell-escape level of the service's compile group (off, restricted, full), which bare latexmk"
                    + " runs at too; default ${DEFAULT-VALUE}")
    ShellEscapeLevel shellEscape;

    @Option(names = "--bare-image", defaultValue = "texlive-sandbox:bookworm",
            description = "image whose files bare latexmk runs in (exported once with the docker CLI); default ${DEFAULT-VALUE}")
    String bareImage;

    @Option(names = "--bare-rootfs", description = "an exported root filesystem to use instead of exporting --bare-image")
    Path bareRootfs;

    @Option(names = "--bare-cache", defaultValue = "${sys:java.io.tmpdir}/texfarm-loadtest",
            description = "where exported root filesystems are kept; default ${DEFAULT-VALUE}")
    Path bareCache;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final PrintStream console = System.err;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTest()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        LoadModel loadModel;
        RunLimits limits;
        Weighted<CompileKind> kinds;
        Weighted<Document> corpus;
        try {
            checkUrl();
            loadModel = model == Model.open ? new LoadModel.Open(rate) : new LoadModel.Closed(editors, think);
            limits = new RunLimits(warmup, duration, ramp, maxRequests, requestTimeout);
            kinds = Weighted.parse(mix, name -> CompileKind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            corpus = corpus();
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("--interval must be positive");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String startedAt = Instant.now().toString();
        List<String> notes = new ArrayList<>();
        RunSummary service;
        RunSummary bare = null;
        try (FileServer files = FileServer.start(fileServerHost)) {
            ServiceTarget target = new ServiceTarget(new ServiceTarget.Settings(url, System.getenv(tokenVariable),
                    requestTimeout, compileTimeout, compileGroup), files);
            console.printf("load test: %s model against %s, %.0f s warm-up, %.0f s measured%n", model, url,
                    warmup.toMillis() / 1000.0, duration.toMillis() / 1000.0);
            service = run(loadModel, limits, new Workload(corpus, kinds, runId(), seed), target);
            if (target.resourceErrors() > 0) {
                notes.add(target.resourceErrors() + " file(s) sent by URL could not be fetched by the service: allow the"
                        + " file server's address (" + fileServerHost + ") in its URL_ALLOWED_HOSTS");
            }
        }
        if (compareBare) {
            ImageRoot root = bareRootfs != null ? ImageRoot.at(bareRootfs) : ImageRoot.export(bareImage, bareCache);
            console.printf("bare latexmk in %s, same workload and load%n", root.path());
            // The same seed makes the same choices, so both runs see the same mix of documents and edits.
            bare = run(loadModel, limits, new Workload(corpus, kinds, runId(), seed),
                    new BareTarget(root, shellEscape, compileTimeout));
        }
        if (service.errors() > 0) {
            notes.add(service.errors() + " measured compile(s) failed; statuses: " + service.statuses());
        }
        Report report = Report.of(startedAt, settings(), service, bare, notes);
        ReportWriter.write(report, out);
        console.printf("%d answers (%.2f per second: %d with a TeX run, %d from the result cache), p50 %.0f ms,"
                        + " p99 %.0f ms, %d errors, %d rejected; report in %s%n", service.completed() + service.cacheHits(),
                service.answersPerSecond(), service.completed(), service.cacheHits(), service.answerLatency().p50(),
                service.answerLatency().p99(), service.errors(), service.rejections(), out.toAbsolutePath());
        if (bare != null) {
            Report.Comparison all = report.comparedToBare().get("all");
            console.printf("bare latexmk: %d answers (%.2f per second), p50 %.0f ms, p99 %.0f ms; service / bare, answer for"
                            + " answer: %.2f answers per second, median latency %.2f, p99 latency %.2f%n",
                    bare.completed() + bare.cacheHits(), bare.answersPerSecond(), bare.answerLatency().p50(),
                    bare.answerLatency().p99(), all.answersPerSecond(), all.medianLatency(), all.p99Latency());
        }
        notes.forEach(note -> console.println("note: " + note));
        return service.errors() > 0 ? 1 : 0;
    }

    private RunSummary run(LoadModel loadModel, RunLimits limits, Workload workload, CompileTarget target)
            throws InterruptedException {
        LoadRun run = new LoadRun(loadModel, limits, workload, target, interval);
        try (target; ProgressLine ignored = new ProgressLine(run, console, System.console() != null)) {
            return run.run().summary(duration.toNanos() / 1e9);
        }
    }

    private void checkUrl() {
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be an http(s) URL with a host, not " + url);
        }
        if (!url.getPath().endsWith("/")) {
            url = URI.create(url + "/");
        }
    }

    private Weighted<Document> corpus() throws IOException {
        Map<Document, Double> weights = new LinkedHashMap<>();
        String builtIn = documents != null ? documents : projects == null ? String.join(",", Corpus.BUILT_IN) : "";
        if (!builtIn.isBlank()) {
            weights.putAll(Weighted.parse(builtIn, Corpus::builtIn).shares());
        }
        if (projects != null) {
            // Each of your projects weighs as much as one built-in document.
            double each = weights.isEmpty() ? 1.0 : 1.0 / weights.size();
            for (Document project : Corpus.folder(projects, compiler)) {
                weights.put(project, each);
            }
        }
        return Weighted.of(weights);
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("url", url.toString());
        settings.put("model", model.name());
        if (model == Model.open) {
            settings.put("rate", rate + "/s");
        } else {
            settings.put("editors", Integer.toString(editors));
            settings.put("think", think.toString());
        }
        settings.put("warmup", warmup.toString());
        settings.put("duration", duration.toString());
        settings.put("ramp", ramp.toString());
        settings.put("mix", mix);
        settings.put("documents", documents != null ? documents : projects == null ? String.join(",", Corpus.BUILT_IN) : "");
        if (projects != null) {
            settings.put("projects", projects.toString());
        }
        settings.put("maxRequests", Long.toString(maxRequests));
        settings.put("compileTimeout", compileTimeout + "s");
        if (compileGroup != null) {
            settings.put("compileGroup", compileGroup);
        }
        settings.put("seed", Long.toString(seed));
        settings.put("compareBare", Boolean.toString(compareBare));
        settings.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        return settings;
    }

    private static String runId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    /** Reads 90, 90s, 1.5m, 2h or 250ms (seconds when no unit is given). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
        private static final Map<String, Double> MILLIS = Map.of("ms", 1.0, "s", 1000.0, "m", 60_000.0, "h", 3_600_000.0);

        @Override
        public Duration convert(String value) {
            Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 90s, 1.5m or 250ms");
            }
            double unit = MILLIS.get(matcher.group(2) == null ? "s" : matcher.group(2));
            return Duration.ofMillis(Math.round(Double.parseDouble(matcher.group(1)) * unit));
        }
    }

    /** Reads a shell-escape level by its name, as the service's SHELL_ESCAPE names it. */
    static final class ShellEscapeConverter implements CommandLine.ITypeConverter<ShellEscapeLevel> {
        @Override
        public ShellEscapeLevel convert(String value) {
            try {
                return ShellEscapeLevel.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--shell-escape " + e.getMessage());
            }
        }
    }
}
