package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SyncTeX both ways on a real multi-file, multi-page build: from a line to its boxes and back,
 * in agreement with TeX Live's own {@code synctex} tool run on the same build.
 */
class SyncTexIT {
    private static final String PROJECT = "synctex";
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("main.tex", """
                \\documentclass{article}
                \\begin{document}
                \\section{Introduction}
                Line four, the first of the main file.

                Line six, the second of the main file, with a longer paragraph that wraps over more
                than one line of the page, so that one box holds words of two source lines.

                \\input{chapters/one}
                \\newpage
                \\input{chapters/two}

                Line thirteen, the last of the main file.
                \\end{document}
                """);
        FILES.put("chapters/one.tex", """
                \\section{One}
                Line two of chapter one.

                Line four of chapter one.

                \\begin{itemize}
                \\item Line seven, an item.
                \\item Line eight, another item.
                \\end{itemize}

                Line eleven, with $x^2 + y^2 = z^2$ in it.
                """);
        StringBuilder two = new StringBuilder("\\section{Two}\n");
        for (int line = 2; line <= 90; line += 2) {
            two.append("Line ").append(line).append(" of chapter two.\n\n");
        }
        FILES.put("chapters/two.tex", two.toString());
    }

    private static RunningService service;
    private static JsonObject compile;
    private static String buildId;
    private static int pages;

    @BeforeAll
    static void compile() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
        compile = service.compile(PROJECT, project().json()).json();
        assertThat(compile.getJsonObject("compile").getString("status")).isEqualTo("success");
        buildId = compile.getJsonObject("compile").getString("buildId");
        try (PDDocument pdf = Loader.loadPDF(service.download(RunningService.outputUrl(compile, "output.pdf")))) {
            pages = pdf.getNumberOfPages();
        }
        assertThat(pages).as("pages of the test document").isGreaterThanOrEqualTo(3);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static Projects project() {
        return project(FILES.get("main.tex"));
    }

    private static Projects project(String main) {
        Projects project = Projects.project().file("main.tex", main);
        FILES.forEach((path, content) -> {
            if (!path.equals("main.tex")) {
                project.file(path, content);
            }
        });
        return project;
    }

    private static RunningService.Response get(String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).GET());
    }

    private static JsonArray fromCode(String file, int line, String build) {
        RunningService.Response response = get("/project/" + PROJECT + "/sync/code?file=" + encode(file) + "&line=" + line
                + "&column=0" + (build == null ? "" : "&buildId=" + build));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().getJsonArray("pdf");
    }

    private static JsonArray fromPdf(int page, double h, double v, String build) {
        RunningService.Response response = get("/project/" + PROJECT + "/sync/pdf?page=" + page + "&h=" + h + "&v=" + v
                + (build == null ? "" : "&buildId=" + build));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().getJsonArray("code");
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static List<Integer> linesStartingWith(String file, String prefix) {
        List<String> lines = FILES.get(file).lines().toList();
        return IntStream.range(0, lines.size()).filter(i -> lines.get(i).startsWith(prefix)).map(i -> i + 1).boxed().toList();
    }

    private static Path buildDirectory() {
        return service.dataDir().resolve("builds/p").resolve(PROJECT).resolve(buildId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main.tex", "chapters/one.tex", "chapters/two.tex"})
    void goesFromEachLineToItsBoxAndBackToTheSameFileAndLine(String file) {
        List<Integer> lines = linesStartingWith(file, "Line");
        assertThat(lines).isNotEmpty();
        for (int line : lines) {
            JsonArray boxes = fromCode(file, line, null);
            assertThat(boxes).as(file + ":" + line).isNotEmpty();
            JsonObject box = boxes.getJsonObject(0);
            assertThat(box.getDouble("width")).as("width of the box of " + file + ":" + line).isPositive();
            double h = box.getDouble("h") + box.getDouble("width") / 2;
            double v = box.getDouble("v") - box.getDouble("height") / 2;

            JsonArray code = fromPdf(box.getInteger("page"), h, v, null);
            assertThat(code).as("back from the middle of " + box).isNotEmpty();
            assertThat(code.getJsonObject(0).getString("file")).isEqualTo(file);
            assertThat(code.getJsonObject(0).getInteger("line")).as("back from " + file + ":" + line).isEqualTo(line);
        }
    }

    @Test
    void agreesWithTheSynctexToolFromEveryLineOfEveryFile() throws Exception {
        SynctexTool tool = new SynctexTool(buildDirectory());
        for (String file : FILES.keySet()) {
            for (int line = 1; line <= FILES.get(file).lines().count() + 1; line++) {
                tool.view(file + ":" + line, file, line, 0);
            }
        }
        Map<String, List<Map<String, String>>> answers = tool.run();

        int compared = 0;
        for (var answer : answers.entrySet()) {
            String file = answer.getKey().substring(0, answer.getKey().lastIndexOf(':'));
            int line = Integer.parseInt(answer.getKey().substring(file.length() + 1));
            // The tool repeats a box when several nodes of the line are in it; the service gives each box once.
            LinkedHashSet<List<String>> expected = new LinkedHashSet<>();
            for (Map<String, String> record : answer.getValue()) {
                expected.add(List.of(record.get("Page"), record.get("h"), record.get("v"), record.get("W"), record.get("H")));
            }
            List<List<String>> actual = new ArrayList<>();
            for (Object box : fromCode(file, line, null)) {
                JsonObject json = (JsonObject) box;
                actual.add(List.of(json.getInteger("page").toString(), sixDecimals(json.getDouble("h")),
                        sixDecimals(json.getDouble("v")), sixDecimals(json.getDouble("width")), sixDecimals(json.getDouble("height"))));
            }
            assertThat(actual).as(answer.getKey()).containsExactlyElementsOf(expected);
            compared += actual.size();
        }
        assertThat(compared).as("boxes compared").isGreaterThan(100);
    }

    @Test
    void agreesWithTheSynctexToolAtPointsAllOverEachPage() throws Exception {
        SynctexTool tool = new SynctexTool(buildDirectory());
        for (int page = 1; page <= pages; page++) {
            for (double h = 10.5; h < 612; h += 29.25) {
                for (double v = 12.25; v < 792; v += 31.5) {
                    tool.edit(page + ":" + h + ":" + v, page, h, v);
                }
            }
        }
        Map<String, List<Map<String, String>>> answers = tool.run();

        int inProject = 0;
        for (var answer : answers.entrySet()) {
            String[] point = answer.getKey().split(":");
            // The service leaves out places in TeX Live's own files, which an editor cannot open.
            List<String> expected = answer.getValue().stream()
                    .filter(record -> record.get("Input").startsWith("/slot/work/"))
                    .map(record -> record.get("Input").replace("/slot/work/./", "") + ":" + record.get("Line"))
                    .toList();
            List<String> actual = fromPdf(Integer.parseInt(point[0]), Double.parseDouble(point[1]),
                    Double.parseDouble(point[2]), null).stream()
                    .map(position -> ((JsonObject) position).getString("file") + ":" + ((JsonObject) position).getInteger("line"))
                    .toList();
            assertThat(actual).as("page " + point[0] + " at " + point[1] + ", " + point[2]).isEqualTo(expected);
            inProject += expected.size();
        }
        assertThat(inProject).as("answers in the project's files").isGreaterThan(200);
    }

    private static String sixDecimals(double value) {
        return String.format("%.6f", value);
    }

    @Test
    void answersForAnEarlierBuildByItsId() {
        JsonObject before = fromCode("chapters/one.tex", 2, null).getJsonObject(0);
        Projects moved = project(FILES.get("main.tex").replace("\\section{Introduction}",
                "\\section{Introduction}\n\\vspace*{5cm}"));
        JsonObject recompile = service.compile(PROJECT + "-moved", moved.json()).json();
        String firstBuild = recompile.getJsonObject("compile").getString("buildId");
        JsonObject firstBox = get("/project/" + PROJECT + "-moved/sync/code?file=chapters/one.tex&line=2").json()
                .getJsonArray("pdf").getJsonObject(0);
        assertThat(firstBox.getDouble("v")).as("pushed down by the vertical space").isGreaterThan(before.getDouble("v") + 100);

        JsonObject again = service.compile(PROJECT + "-moved", project().json()).json();
        String secondBuild = again.getJsonObject("compile").getString("buildId");
        assertThat(secondBuild).isNotEqualTo(firstBuild);
        JsonObject latest = get("/project/" + PROJECT + "-moved/sync/code?file=chapters/one.tex&line=2").json()
                .getJsonArray("pdf").getJsonObject(0);
        JsonObject earlier = get("/project/" + PROJECT + "-moved/sync/code?file=chapters/one.tex&line=2&buildId=" + firstBuild)
                .json().getJsonArray("pdf").getJsonObject(0);
        assertThat(latest).isEqualTo(before);
        assertThat(earlier).isEqualTo(firstBox);
    }

    @Test
    void answersOnAUsersOwnCopyOfTheProject() {
        String user = "/project/" + PROJECT + "/user/0123456789abcdef01234567";
        assertThat(service.compile(user + "/compile", project().json()).compileStatus()).isEqualTo("success");
        RunningService.Response response = get(user + "/sync/pdf?page=1&h=150&v=150");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().getJsonArray("code")).isNotEmpty();
    }

    @Test
    void answers404WhenThereIsNoSyncTexData() {
        RunningService.Response never = get("/project/never-compiled/sync/code?file=main.tex&line=1");
        assertThat(never.status()).isEqualTo(404);
        assertThat(never.text()).isEqualTo("Not Found");
        assertThat(reason(never)).contains("no build");

        RunningService.Response gone = get("/project/" + PROJECT + "/sync/pdf?page=1&h=1&v=1&buildId=18c2f3a4b5c-0123456789abcdef");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(reason(gone)).contains("no build 18c2f3a4b5c-0123456789abcdef");

        JsonObject without = service.compile("no-synctex", Projects.document("No SyncTeX.")
                .option("flags", new JsonArray().add("-synctex=0")).json()).json();
        assertThat(without.getJsonObject("compile").getString("status")).isEqualTo("success");
        RunningService.Response none = get("/project/no-synctex/sync/code?file=main.tex&line=3");
        assertThat(none.status()).isEqualTo(404);
        assertThat(reason(none)).contains("has no SyncTeX data");
    }

    @Test
    void checksTheImageNameFirstAsCLSIDoes() {
        RunningService.Response evil = get("/project/" + PROJECT + "/sync/code?file=main.tex&line=1&imageName=something/evil:1337");
        RunningService.Response fallback = get("/project/" + PROJECT + "/sync/pdf?page=1&h=1&v=1&imageName=");

        assertThat(evil.status()).isEqualTo(400);
        assertThat(evil.text()).isEqualTo("invalid image");
        assertThat(fallback.status()).isEqualTo(200);
    }

    /** Why a SyncTeX query got CLSI's plain {@code Not Found}. */
    private static String reason(RunningService.Response response) {
        return response.raw().headers().firstValue("X-Error-Reason").orElse("");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sync/code?line=3", "sync/code?file=main.tex", "sync/code?file=main.tex&line=0", "sync/code?file=main.tex&line=x",
            "sync/code?file=../main.tex&line=3", "sync/code?file=main.tex&line=3&column=-2",
            "sync/code?file=main.tex&line=3&buildId=latest", "sync/pdf?h=1&v=1", "sync/pdf?page=0&h=1&v=1",
            "sync/pdf?page=1&h=NaN&v=1", "sync/pdf?page=1&h=1", "sync/pdf?page=1&h=1e400&v=1"})
    void refusesBadParametersWith400(String query) {
        RunningService.Response response = get("/project/" + PROJECT + "/" + query);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().getString("error")).isNotBlank();
    }

    @Test
    void answersNothingForAFileOutsideTheCompileOrALineOnAPageThatIsNot() {
        assertThat(fromCode("unknown.tex", 1, null)).isEmpty();
        assertThat(fromPdf(pages + 1, 100, 100, null)).isEmpty();
    }
}
