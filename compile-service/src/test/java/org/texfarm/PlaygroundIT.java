package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.texfarm.Projects.project;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.texfarm.sync.SafeFiles;

/**
 * The playground in a real browser: Debian's chromium, headless, driven through Debian's
 * chromedriver (no browser is downloaded). It opens the page, which compiles its sample and shows
 * the PDF; an error is listed with its line and jumps to it; SyncTeX goes both ways; a scripted SVG
 * a document wrote does not run; a form on another site cannot drain the server.
 */
class PlaygroundIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static RunningService service;
    private static WebDriver browser;
    private static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "the playground's browser test needs"
                + " Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; CI's .ci/run installs them)");
        service = RunningService.start();
        downloads = Files.createTempDirectory("playground-it-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // As root in a container or CI machine, chromium's own sandbox cannot start: --no-sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (downloads != null) {
            SafeFiles.deleteRecursively(downloads);
        }
    }

    private static Object script(String code, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(code, arguments);
    }

    private static void awaitCompiles(int count) {
        new WebDriverWait(browser, WAIT).until(ignored -> {
            Object compiled = script("return document.body.dataset.compiled");
            return compiled != null && Integer.parseInt(compiled.toString()) >= count;
        });
    }

    private static String pdfText() {
        return String.valueOf(script("return Array.from(document.querySelectorAll('#pdf .textLayer'),"
                + " layer => layer.textContent).join(' ')"));
    }

    private static long cursorLine() {
        return (Long) script("return document.querySelector('.CodeMirror').CodeMirror.getCursor().line") + 1;
    }

    @Test
    void compilesItsSampleShowsThePdfListsErrorsWithTheirLineAndSyncsBothWays() {
        browser.get(service.uri("/playground").toString());
        awaitCompiles(1);
        new WebDriverWait(browser, WAIT).until(ignored -> pdfText().contains("playground document"));
        assertThat(browser.findElements(By.cssSelector("#pdf canvas"))).isNotEmpty();
        assertThat(browser.findElement(By.id("timings")).getText()).contains("compile");

        // PDF to source: a double click on the first paragraph selects its line (9 of the sample).
        WebElement paragraph = new WebDriverWait(browser, WAIT).until(ignored -> browser.findElements(By.cssSelector(
                "#pdf .textLayer span")).stream().filter(span -> span.getText().contains("This document was compiled"))
                .findFirst().orElse(null));
        new Actions(browser).doubleClick(paragraph).perform();
        new WebDriverWait(browser, WAIT).until(ignored -> browser.findElement(By.id("status")).getText().contains("line"));
        assertThat(cursorLine()).isBetween(9L, 10L);

        // Source to PDF: the equation's line is highlighted on page 1.
        script("const cm = document.querySelector('.CodeMirror').CodeMirror; cm.focus(); cm.setCursor({line: 13, ch: 0})");
        new Actions(browser).keyDown(Keys.CONTROL).keyDown(Keys.SHIFT).sendKeys("l").keyUp(Keys.SHIFT).keyUp(Keys.CONTROL).perform();
        new WebDriverWait(browser, WAIT).until(ignored -> !browser.findElements(By.cssSelector("#pdf .page .highlight")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#pdf .page .highlight")).findElement(By.xpath(".."))
                .getDomAttribute("data-page")).isEqualTo("1");

        // An error: listed with its file and line; a click on it puts the cursor there.
        script("document.querySelector('.CodeMirror').CodeMirror.setValue("
                + "'\\\\documentclass{article}\\n\\\\begin{document}\\nFine.\\n\\n\\\\undefinedcommand\\n\\\\end{document}\\n')");
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
        awaitCompiles(2);
        WebElement error = new WebDriverWait(browser, WAIT).until(ignored -> browser.findElements(By.cssSelector(
                "#annotations button.error")).stream().findFirst().orElse(null));
        assertThat(error.getText()).contains("main.tex:5").contains("Undefined control sequence");
        error.click();
        assertThat(cursorLine()).isEqualTo(5);
        assertThat(browser.findElement(By.id("log")).getText()).contains("Undefined control sequence");
    }

    @Test
    void asksForTheApiTokenWhenTheServerNeedsOneAndSendsItOnEveryRequest() throws Exception {
        String token = "playground-it-token-0123456789";
        try (RunningService guarded = RunningService.start(Map.of("API_TOKEN", token))) {
            browser.get(guarded.uri("/playground").toString());
            WebElement field = new WebDriverWait(browser, WAIT).until(ignored -> {
                WebElement input = browser.findElement(By.id("token"));
                return input.isDisplayed() ? input : null;
            });
            field.sendKeys(token, Keys.ENTER);

            awaitCompiles(1);
            new WebDriverWait(browser, WAIT).until(ignored -> pdfText().contains("playground document"));
        }
    }

    @Test
    void runsNoScriptOfAnSvgADocumentWrote() {
        RunningService.Response compiled = service.compile("svg-in-browser",
                project().file("main.tex", Projects.scriptedSvg("document.title='pwned'")).json());
        assertThat(compiled.compileStatus()).as(compiled.text()).isEqualTo("success");
        browser.get(service.uri("/playground").toString());
        String title = browser.getTitle();

        // Opened as a page of the service's origin, as a link in the page would open it: a download, never a document.
        browser.get(RunningService.outputUrl(compiled.json(), "drawing.svg"));

        assertThat(browser.getTitle()).isNotEqualTo("pwned").isEqualTo(title);
    }

    @Test
    void aFormOnAnotherSiteCannotDrainTheServer() throws Exception {
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] page = ("<!doctype html><form method=post enctype=text/plain action='" + service.uri("/admin/load-agent")
                + "'><input name='{\"state\": \"drain\", \"x\": \"' value='\"}'></form><script>document.forms[0].submit()</script>")
                .getBytes(StandardCharsets.UTF_8);
        attacker.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
            new WebDriverWait(browser, WAIT).until(ignored -> browser.getCurrentUrl().contains("/admin/load-agent"));
        } finally {
            attacker.stop(0);
        }

        assertThat(browser.getPageSource()).contains("another site");
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/admin/load-agent")).GET()).json().getString("state"))
                .isEqualTo("ready");
    }
}
