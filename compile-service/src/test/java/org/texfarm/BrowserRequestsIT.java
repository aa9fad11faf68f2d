package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.texfarm.Projects.project;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a browser visiting another site can do to the service through its user: nothing. A page of
 * another site cannot change anything (compiles, stops, deletes, the load agent), a name rebound to
 * the service's address is not answered, and what a document writes never runs on the service's origin.
 */
class BrowserRequestsIT {
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        service = RunningService.start();
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    /** One request sent as written, so that its Host is what a rebound name would send. */
    private static String raw(String request) throws Exception {
        URI uri = service.uri("/");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void answersNoRequestForANameItDoesNotKnowAsDnsRebindingWouldSendIt() throws Exception {
        String rebound = raw("GET /project/p/build/1-1/output/output.pdf HTTP/1.1\r\nHost: rebound.attacker.example:3013\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(rebound).startsWith("HTTP/1.1 421").contains("HOST_NAMES");
        String own = raw("GET /status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(own).startsWith("HTTP/1.1 200");
    }

    @Test
    void refusesChangesFromAnotherSitesPageButTakesThemFromItsOwnAndFromServers() {
        String ownOrigin = "http://" + service.uri("/").getRawAuthority();
        for (String[] browser : new String[][] {{"Origin", "https://attacker.example"}, {"Origin", "null"},
                {"Sec-Fetch-Site", "cross-site"}}) {
            RunningService.Response stop = service.send(HttpRequest.newBuilder(service.uri("/project/p/compile/stop"))
                    .header(browser[0], browser[1]).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(stop.status()).as(browser[0] + ": " + browser[1]).isEqualTo(403);
            RunningService.Response delete = service.send(HttpRequest.newBuilder(service.uri("/project/p"))
                    .header(browser[0], browser[1]).DELETE());
            assertThat(delete.status()).isEqualTo(403);
        }
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/project/p/compile/stop")).header("Origin", ownOrigin)
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/project/p/compile/stop"))
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(204);
    }

    @Test
    void aFormOfAnotherSiteCannotDrainTheServerEvenWithoutAnOrigin() {
        // What an HTML form can send: text/plain, a body shaped as JSON by its field's name.
        RunningService.Response form = service.send(HttpRequest.newBuilder(service.uri("/admin/load-agent"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"state\": \"drain\", \"x\": \"=\"}")));

        assertThat(form.status()).isEqualTo(400);
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/admin/load-agent")).GET()).json().getString("state"))
                .isEqualTo("ready");
    }

    @Test
    void servesThePlaygroundUnderAStrictPolicyWithItsModulesAsJavaScriptUnlessSwitchedOff() throws Exception {
        RunningService.Response page = service.send(HttpRequest.newBuilder(service.uri("/playground")).GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        for (String module : new String[] {"/playground/static/playground.mjs", "/playground/vendor/pdfjs/build/pdf.min.mjs"}) {
            RunningService.Response script = service.send(HttpRequest.newBuilder(service.uri(module)).GET());
            assertThat(script.status()).as(module).isEqualTo(200);
            assertThat(script.raw().headers().firstValue("Content-Type")).as(module).hasValue("text/javascript; charset=utf-8");
        }
        try (RunningService off = RunningService.start(Map.of("PLAYGROUND", "false"))) {
            assertThat(off.send(HttpRequest.newBuilder(off.uri("/playground")).GET()).status()).isEqualTo(404);
        }
    }

    @Test
    void servesWhatADocumentWritesAsASandboxedDownloadButThePdfAndLogInline() {
        RunningService.Response compiled = service.compile("scripted",
                project().file("main.tex", Projects.scriptedSvg("alert(document.cookie)")).json());
        assertThat(compiled.compileStatus()).as(compiled.text()).isEqualTo("success");

        RunningService.Response svg = service.send(HttpRequest.newBuilder(URI.create(
                RunningService.outputUrl(compiled.json(), "drawing.svg"))).GET());
        assertThat(svg.text()).contains("<script>");
        assertThat(svg.raw().headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"drawing.svg\"");
        assertThat(svg.raw().headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        assertThat(svg.raw().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        for (String inline : new String[] {"output.pdf", "output.log"}) {
            RunningService.Response file = service.send(HttpRequest.newBuilder(URI.create(
                    RunningService.outputUrl(compiled.json(), inline))).GET());
            assertThat(file.raw().headers().firstValue("Content-Disposition")).as(inline).isEmpty();
            assertThat(file.raw().headers().firstValue("Content-Security-Policy")).as(inline).hasValue("sandbox");
        }
    }
}
