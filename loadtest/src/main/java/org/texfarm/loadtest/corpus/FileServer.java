package org.texfarm.loadtest.corpus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves documents' binary files (images) on loopback, so that compile requests can name them by
 * URL as Overleaf's filestore does. The compile service must allow the address
 * ({@code URL_ALLOWED_HOSTS}).
 */
public final class FileServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final String base;

    private FileServer(HttpServer server, String host) {
        this.server = server;
        this.base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getAddress().getPort();
    }

    /** Starts serving on {@code host} (a loopback address unless the service runs elsewhere), on any free port. */
    public static FileServer start(String host) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
        FileServer server = new FileServer(http, host);
        http.createContext("/", exchange -> {
            try (exchange) {
                byte[] content = "GET".equals(exchange.getRequestMethod())
                        ? server.files.get(exchange.getRequestURI().getRawPath()) : null;
                if (content == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, content.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
                server.served.incrementAndGet();
            }
        });
        http.setExecutor(server.executor);
        http.start();
        return server;
    }

    /** Makes a document's file available and returns its URL. */
    public String publish(Document document, String path) {
        String urlPath = "/" + encode(document.name()) + "/" + encode(path).replace("%2F", "/");
        files.putIfAbsent(urlPath, document.files().get(path));
        return base + urlPath;
    }

    /** How many files it has served. */
    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
