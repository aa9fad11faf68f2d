package org.texfarm;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;
import org.texfarm.config.ConfigException;
import org.texfarm.config.ServiceConfig;

/** Starts the compile service with the configuration in the environment. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // Before the first logger is made, which reads the configuration.
        String format = System.getenv().getOrDefault("LOG_FORMAT", System.console() != null ? "text" : "json");
        if (!format.equals("text") && !format.equals("json")) {
            System.err.println("compile-service: bad configuration: LOG_FORMAT must be text or json, not '" + format + "'");
            System.exit(2);
            return;
        }
        if (format.equals("json")) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        ServiceConfig config;
        try {
            config = ServiceConfig.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            System.err.println("compile-service: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CompileServer server;
        try {
            server = CompileServer.start(config);
        } catch (IllegalStateException e) {
            System.err.println("compile-service: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Vert.x's threads keep the JVM running until a signal ends it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("compile-service: error while stopping: " + e.getMessage());
            } finally {
                // Flushes the asynchronous appender: the shutdown's own log lines are the last ones.
                if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logging) {
                    logging.stop();
                }
            }
        }, "shutdown"));
    }
}
