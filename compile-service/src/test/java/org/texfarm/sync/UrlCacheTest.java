package org.texfarm.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The URL cache against a real HTTP server on loopback. */
class UrlCacheTest {
    private static Vertx vertx;
    private static HttpServer server;
    private static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private static final AtomicInteger flaky = new AtomicInteger();

    @TempDir
    Path temp;
    private SyncFixture fixture;

    @BeforeAll
    static void startServer() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> {
            requests.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
            switch (request.path()) {
                case "/file" -> request.response().end("file content");
                case "/slow" -> vertx.setTimer(300, t -> request.response().end("slow content"));
                case "/flaky" -> {
                    if (flaky.incrementAndGet() % 3 != 0) {
                        request.response().setStatusCode(503).end();
                    } else {
                        request.response().end("finally");
                    }
                }
                case "/gone" -> request.response().setStatusCode(404).end();
                case "/forbidden" -> request.response().setStatusCode(403).end();
                case "/huge" -> request.response().end(Buffer.buffer(new byte[200_000]));
                case "/huge-chunked" -> request.response().setChunked(true)
                        .write(Buffer.buffer(new byte[100_000])).compose(v -> request.response().end(Buffer.buffer(new byte[100_000])));
                case "/elsewhere" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://127.0.0.1:" + request.localAddress().port() + "/file").end();
                default -> {
                    if (request.path().startsWith("/history/project/")) {
                        request.response().end("file content");
                    } else {
                        request.response().setStatusCode(500).end();
                    }
                }
            }
        }).listen(0, "127.0.0.1").await();
    }

    @AfterAll
    static void stopServer() {
        vertx.close().await();
    }

    @BeforeEach
    void setUp() throws Exception {
        requests.clear();
        fixture = new SyncFixture(temp, List.of("localhost"), true);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private static URI url(String path) {
        return URI.create("http://localhost:" + server.actualPort() + path);
    }

    private String content(Sha256 hash) throws Exception {
        Path target = temp.resolve("out-" + hash.hex());
        fixture.store.link(hash, target);
        return java.nio.file.Files.readString(target, StandardCharsets.UTF_8);
    }

    @Test
    void sharesAHistoryBlobByTheHashItsUrlNamesAcrossProjectsAndVersionsOnceTheContentHasIt() throws Exception {
        // The git blob id of "file content" (git hash-object).
        String blob = "8773f39855e4fba569c0c885e56e6478210997ca";
        Sha256 first = fixture.urls.get(url("/history/project/1/hash/" + blob), null, null, false);
        Sha256 otherProject = fixture.urls.get(url("/history/project/2/hash/" + blob), 5L, null, true);

        assertThat(otherProject).isEqualTo(first);
        assertThat(requests.get("/history/project/1/hash/" + blob)).hasValue(1);
        assertThat(requests).doesNotContainKey("/history/project/2/hash/" + blob);

        String wrong = "27fa34919ae70aa0d7eaccdfbf393cfc440e7d25";
        fixture.urls.get(url("/history/project/1/hash/" + wrong), null, null, false);
        fixture.urls.get(url("/history/project/1/hash/" + wrong), null, null, false);
        assertThat(requests.get("/history/project/1/hash/" + wrong)).as("content that is not the blob it names is not shared")
                .hasValue(2);
    }

    @Test
    void revalidatingDownloadsAgainAndRenewsTheEntry() throws Exception {
        fixture.urls.get(url("/file"), 1L, null, false);
        Sha256 revalidated = fixture.urls.get(url("/file"), 1L, null, true);
        Sha256 cached = fixture.urls.get(url("/file"), 1L, null, false);

        assertThat(revalidated).isEqualTo(cached);
        assertThat(requests.get("/file")).hasValue(2);
        assertThat(fixture.counter("url.cache.hits")).isEqualTo(1);
    }

    @Test
    void downloadsOnceForTheSameUrlAndVersionAndAgainForANewVersion() throws Exception {
        Sha256 first = fixture.urls.get(url("/file"), 1L, null, false);
        Sha256 again = fixture.urls.get(url("/file"), 1L, null, false);
        fixture.urls.get(url("/file"), 2L, null, false);

        assertThat(first).isEqualTo(again);
        assertThat(content(first)).isEqualTo("file content");
        assertThat(requests.get("/file")).hasValue(2);
        assertThat(fixture.counter("url.cache.hits")).isEqualTo(1);
        assertThat(fixture.counter("url.downloads")).isEqualTo(2);
    }

    @Test
    void keepsItsEntriesAcrossRestarts() throws Exception {
        fixture.urls.get(url("/file"), 7L, null, false);

        UrlCache reopened = new UrlCache(fixture.fetcher, fixture.store, temp.resolve("url-cache"), fixture.clock,
                fixture.registry);
        reopened.get(url("/file"), 7L, null, false);

        assertThat(requests.get("/file")).hasValue(1);
        assertThat(reopened.referencedHashes()).containsExactly(Sha256.of("file content".getBytes()));
    }

    @Test
    void downloadsAnUnversionedUrlEveryTime() throws Exception {
        fixture.urls.get(url("/file"), null, null, false);
        fixture.urls.get(url("/file"), null, null, false);

        assertThat(requests.get("/file")).hasValue(2);
    }

    @Test
    void sharesOneDownloadBetweenConcurrentRequestsForTheSameKey() {
        List<CompletableFuture<Sha256>> all = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return fixture.urls.get(url("/slow"), 5L, null, false);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                })).toList();

        assertThat(all.stream().map(CompletableFuture::join).distinct()).hasSize(1);
        assertThat(requests.get("/slow")).hasValue(1);
    }

    @Test
    void retriesFailuresThatMayPass() throws Exception {
        flaky.set(0);

        Sha256 hash = fixture.urls.get(url("/flaky"), 1L, null, false);

        assertThat(content(hash)).isEqualTo("finally");
        assertThat(requests.get("/flaky")).hasValue(3);
    }

    @Test
    void doesNotRetryAPermanentFailure() {
        assertThatThrownBy(() -> fixture.urls.get(url("/forbidden"), 1L, null, false))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("HTTP 403");
        assertThat(requests.get("/forbidden")).hasValue(1);
    }

    @Test
    void triesTheFallbackUrlWhenTheUrlAnswers404() throws Exception {
        Sha256 hash = fixture.urls.get(url("/gone"), 1L, url("/file"), false);

        assertThat(content(hash)).isEqualTo("file content");
        assertThatThrownBy(() -> fixture.urls.get(url("/gone"), 2L, null, false))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void refusesADownloadOverTheSizeLimitAndStoresNothing() {
        assertThatThrownBy(() -> fixture.urls.get(url("/huge"), 1L, null, false))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("download limit");
        assertThat(fixture.store.contains(Sha256.of(new byte[200_000]))).isFalse();
    }

    @Test
    void capsADownloadThatDoesNotDeclareItsLengthWhileReadingIt() {
        assertThatThrownBy(() -> fixture.urls.get(url("/huge-chunked"), 1L, null, false))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("download limit");
        assertThat(fixture.store.contains(Sha256.of(new byte[200_000]))).isFalse();
        assertThat(temp.resolve("store/tmp")).isEmptyDirectory();
    }

    @Test
    void refusesARedirectToAHostNotAllowed() {
        assertThatThrownBy(() -> fixture.urls.get(url("/elsewhere"), 1L, null, false))
                .isInstanceOf(DownloadFailedException.class).hasMessageContaining("127.0.0.1")
                .hasMessageContaining("URL_ALLOWED_HOSTS");
        assertThat(requests.get("/file")).isNull();
    }

    @Test
    void expiresEntriesNotUsedForLong() throws Exception {
        fixture.urls.get(url("/file"), 1L, null, false);
        fixture.clock.advance(Duration.ofDays(3));
        fixture.urls.get(url("/file"), 1L, null, false);
        fixture.clock.advance(Duration.ofDays(6));

        assertThat(fixture.urls.expire(fixture.clock.instant().minus(Duration.ofDays(7)))).isZero();
        fixture.clock.advance(Duration.ofDays(2));
        assertThat(fixture.urls.expire(fixture.clock.instant().minus(Duration.ofDays(7)))).isEqualTo(1);
        fixture.urls.get(url("/file"), 1L, null, false);

        assertThat(requests.get("/file")).hasValue(2);
    }
}
