package org.texfarm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds compile requests shaped as Overleaf's web sends them. */
public final class Projects {
    private final JsonObject options = new JsonObject().put("compiler", "pdflatex").put("timeout", 60);
    private final JsonArray resources = new JsonArray();
    private String root = "main.tex";

    /** A main.tex that typesets Python code with minted, which runs Pygments by shell escape. */
    public static final String MINTED_MAIN = """
            \\documentclass{article}
            \\usepackage{minted}
            \\begin{document}
            \\begin{minted}{python}
            def greet(name):
                return "hello " + name
            \\end{minted}
            \\end{document}
            """;
    /** Lines of {@link #MINTED_MAIN}'s code, as its PDF's text has them. */
    public static final String[] MINTED_CODE = {"def greet(name):", "return \"hello \" + name"};

    /** A main.tex that writes {@code drawing.svg} with {@code script} in it, as a hostile document would. */
    public static String scriptedSvg(String script) {
        return """
                \\documentclass{article}
                \\newwrite\\svg
                \\immediate\\openout\\svg=drawing.svg
                \\immediate\\write\\svg{<svg xmlns="http://www.w3.org/2000/svg"><script>%s</script></svg>}
                \\immediate\\closeout\\svg
                \\begin{document}A document that writes a scripted SVG.\\end{document}
                """.formatted(script);
    }

    public static Projects project() {
        return new Projects();
    }

    /** A one-file project whose main.tex is {@code body} inside a minimal article. */
    public static Projects document(String body) {
        return project().file("main.tex", "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n");
    }

    public Projects file(String path, String content) {
        resources.add(new JsonObject().put("path", path).put("content", content));
        return this;
    }

    public Projects url(String path, String url, long modified) {
        resources.add(new JsonObject().put("path", path).put("url", url).put("modified", modified));
        return this;
    }

    public Projects option(String name, Object value) {
        options.put(name, value);
        return this;
    }

    public Projects root(String path) {
        root = path;
        return this;
    }

    public JsonObject json() {
        return new JsonObject().put("compile", new JsonObject()
                .put("options", options.copy())
                .put("rootResourcePath", root)
                .put("resources", resources.copy()));
    }
}
