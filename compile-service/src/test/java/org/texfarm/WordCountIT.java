package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Word count: texcount in the sandbox over the project's files, answered as CLSI does. */
class WordCountIT {
    private static final String MAIN = """
            \\documentclass{article}
            \\begin{document}
            \\section{Introduction}
            One two three four five.
            \\begin{figure}\\caption{A caption here}\\end{figure}
            Inline $x+y$ and display \\[ a = b \\]
            \\input{more}
            \\end{document}
            """;

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static RunningService.Response wordCount(String project, String query) {
        return service.send(HttpRequest.newBuilder(service.uri("/project/" + project + "/wordcount" + query)).GET());
    }

    @Test
    void countsTheWordsOfAFileAndTheFilesItIncludes() {
        service.compile("counted", Projects.project().file("main.tex", MAIN).file("more.tex", "Six seven eight.\n").json());

        RunningService.Response response = wordCount("counted", "?file=main.tex");

        assertThat(response.status()).isEqualTo(200);
        JsonObject count = response.json().getJsonObject("texcount");
        assertThat(count.getInteger("textWords")).as(count.encodePrettily()).isEqualTo(11);
        assertThat(count.getInteger("headWords")).isEqualTo(1);
        assertThat(count.getInteger("outside")).isEqualTo(3);
        assertThat(count.getInteger("headers")).isEqualTo(1);
        assertThat(count.getInteger("elements")).isEqualTo(1);
        assertThat(count.getInteger("mathInline")).isEqualTo(1);
        assertThat(count.getInteger("mathDisplay")).isEqualTo(1);
        assertThat(count.getInteger("errors")).isZero();
        assertThat(count.getString("encode")).isNotEmpty();
        assertThat(wordCount("counted", "?file=more.tex").json().getJsonObject("texcount").getInteger("textWords"))
                .isEqualTo(3);
    }

    @Test
    void answers404BeforeTheFirstCompileAnd400ForABadPath() {
        assertThat(wordCount("never-compiled", "?file=main.tex").status()).isEqualTo(404);
        service.compile("counted-once", Projects.document("Words.").json());
        assertThat(wordCount("counted-once", "?file=absent.tex").status()).isEqualTo(404);
        assertThat(wordCount("counted-once", "?file=../../etc/passwd").status()).isEqualTo(400);
        assertThat(wordCount("counted-once", "?file=main.tex&image=other:latest").status()).isEqualTo(400);
        assertThat(service.compile("counted-once", Projects.document("Words again.").json()).compileStatus())
                .as("the project compiles after a word count").isEqualTo("success");
    }
}
