package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.document;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The optional API token: every route but /status requires it once an operator sets one. */
class AccessControlIT {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start(Map.of("API_TOKEN", TOKEN, "PRECOMPILE_PREAMBLES", "false"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    private static HttpRequest.Builder compileRequest(String project) {
        return HttpRequest.newBuilder(service.uri("/project/" + project + "/compile"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(document("With a token.").json().encode()));
    }

    @Test
    void refusesCompilesWithoutTheTokenOrWithAnotherOne() {
        RunningService.Response none = service.send(compileRequest("no-token"));
        RunningService.Response wrong = service.send(compileRequest("wrong-token").header("Authorization", "Bearer " + TOKEN + "x"));

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(none.text()).contains("API token");
        assertThat(wrong.status()).isEqualTo(401);
    }

    @Test
    void compilesAndServesOutputsWithTheToken() {
        RunningService.Response compiled = service.send(compileRequest("with-token").header("Authorization", "Bearer " + TOKEN));
        String pdf = RunningService.outputUrl(compiled.json(), "output.pdf");

        RunningService.Response withoutToken = service.send(HttpRequest.newBuilder(URI.create(pdf)).GET());
        RunningService.Response withToken = service.send(HttpRequest.newBuilder(URI.create(pdf))
                .header("Authorization", "Bearer " + TOKEN).GET());

        assertThat(compiled.compileStatus()).isEqualTo("success");
        assertThat(withoutToken.status()).isEqualTo(401);
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(RunningService.pdfText(withToken.body())).contains("With a token.");
    }

    @Test
    void keepsAdminRoutesAndMetricsBehindTheTokenButStatusOpen() {
        RunningService.Response drain = service.send(HttpRequest.newBuilder(service.uri("/admin/load-agent"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"state\": \"drain\"}")));
        RunningService.Response metrics = service.send(HttpRequest.newBuilder(service.uri("/metrics")).GET());
        RunningService.Response status = service.send(HttpRequest.newBuilder(service.uri("/status")).GET());

        assertThat(drain.status()).isEqualTo(401);
        assertThat(metrics.status()).isEqualTo(401);
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.text()).isEqualTo("CLSI is alive\n");
    }

    @Test
    void keepsConversionsAndPdfChunksBehindTheToken() {
        for (String path : new String[] {"/convert/document-to-latex?type=docx", "/convert/pdf-to-jpeg?mode=preview",
                "/project/p/user/0123456789abcdef01234567/download/project-to-document?type=docx"}) {
            assertThat(service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}"))).status()).as(path).isEqualTo(401);
        }
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/project/p/content/1-1/" + "0".repeat(64))).GET()).status())
                .isEqualTo(401);
    }
}
