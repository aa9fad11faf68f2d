package org.texfarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Compose stack's front with TLS (docker-compose.tls.yml): HAProxy terminates TLS with the
 * operator's certificate, here a self-signed one made for the test, and redirects plain HTTP.
 * Only the proxy runs (Overleaf's image cannot be pulled here): it answers 503 for the editor,
 * over TLS.
 */
class TlsFrontIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    @Test
    void terminatesTlsWithTheOperatorsCertificateAndRedirectsPlainHttp() throws Exception {
        Path key = temp.resolve("key.pem");
        Path certificate = temp.resolve("certificate.crt");
        HostCommand.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=overleaf.test",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(), "-out", certificate.toString());
        Path pem = temp.resolve("overleaf.pem");
        Files.writeString(pem, Files.readString(certificate) + Files.readString(key));
        // The proxy's user (uid 100 in texfarm-haproxy) reads it; no one else.
        Files.setAttribute(pem, "unix:uid", 100);
        Files.setPosixFilePermissions(pem, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        int http = RunningService.freePort();
        int https = RunningService.freePort();
        Compose stack = new Compose("texfarm-tls-it", Map.of(
                "HAPROXY_IMAGE", Compose.imageBuiltBy("sandbox-images/build", "haproxy"),
                "HTTP_PORT", "127.0.0.1:" + http, "HTTPS_PORT", "127.0.0.1:" + https, "TLS_CERTIFICATE", pem.toString()),
                Compose.REPOSITORY.resolve("docker-compose.yml"), Compose.REPOSITORY.resolve("compile-service/deploy/docker-compose.tls.yml"));
        try {
            stack.run("up", "--detach", "--no-deps", "proxy");
            HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();

            HttpResponse<String> redirected = awaitAnswer(plain, "http://127.0.0.1:" + http + "/project?x=1");
            HttpResponse<String> secure = awaitAnswer(trusting, "https://localhost:" + https + "/login");

            assertThat(redirected.statusCode()).isEqualTo(301);
            assertThat(redirected.headers().firstValue("Location")).hasValue("https://127.0.0.1/project?x=1");
            assertThat(secure.statusCode()).as("HAProxy over TLS, with no editor behind it yet").isEqualTo(503);
            assertThat(secure.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isIn("TLSv1.2", "TLSv1.3"));
            assertThat(secure.headers().firstValue("Strict-Transport-Security")).isPresent();
        } finally {
            stack.close();
        }
    }

    /** A client context that trusts only this certificate. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("overleaf", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static HttpResponse<String> awaitAnswer(HttpClient client, String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("the proxy answers " + url + " within " + WAIT + ": " + notYet).isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }
}
