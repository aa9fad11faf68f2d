package org.texfarm.loadtest.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import java.util.stream.IntStream;

/**
 * Charts of a load-test run as standalone SVG documents, written by hand so that the report needs no
 * charting library and opens in any browser. Every chart has the same frame: a title, axes from 0 with
 * grid lines, one line per series and a legend.
 */
public final class SvgCharts {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 420;
    // The plot area; the legend takes the space to its right.
    private static final double LEFT = 70;
    private static final double RIGHT = 630;
    private static final double TOP = 50;
    private static final double BOTTOM = 360;
    // Okabe-Ito colours and a brown: told apart by colour-blind readers, and on paper.
    private static final List<String> PALETTE = List.of(
            "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B");
    private static final String GRID = "stroke=\"#dddddd\"";
    // 100 lies infinitely far right on the nines scale.
    private static final double MAX_PERCENTILE = 99.999;
    private static final List<String> NINES_TICKS = List.of("0", "50", "90", "99", "99.9", "99.99", "99.999");

    private record Point(double x, double y) {
    }

    private record Line(String name, List<Point> points) {
        Line {
            // A NaN or infinite value has no place on the page, and would make the document invalid.
            points = points.stream().filter(p -> Double.isFinite(p.x()) && Double.isFinite(p.y())).toList();
        }
    }

    private record Tick(double value, String label) {
    }

    /** An axis from 0 to {@code max}. */
    private record Axis(String label, double max, List<Tick> ticks) {
    }

    private SvgCharts() {
    }

    /** Latency over time: three lines (p50, p99, max) against seconds since the start. */
    public static String latencyOverTime(String title, List<TimePoint> points) {
        List<Line> lines = List.of(
                line("p50", points, TimePoint::p50Millis),
                line("p99", points, TimePoint::p99Millis),
                line("max", points, TimePoint::maxMillis));
        return render(title, linearAxis("seconds", maxX(lines)), "ms", lines);
    }

    /**
     * Throughput over time: completed per second and errors per second (each point's counts divided by
     * the interval length, which is the spacing between points; a single point counts as a 1 s interval).
     */
    public static String throughput(String title, List<TimePoint> points) {
        List<Line> lines = List.of(
                rate("completed", points, TimePoint::completed),
                rate("errors", points, TimePoint::errors));
        return render(title, linearAxis("seconds", maxX(lines)), "per second", lines);
    }

    /**
     * Latency by percentile, one line per named series: the x axis is the percentile on the "nines"
     * scale, which gives 90, 99, 99.9... equal room, the y axis milliseconds.
     */
    public static String percentiles(String title, Map<String, List<PercentilePoint>> series) {
        List<Line> lines = series.entrySet().stream()
                .map(entry -> new Line(entry.getKey(), entry.getValue().stream()
                        .sorted(Comparator.comparingDouble(PercentilePoint::percentile))
                        .map(p -> new Point(nines(p.percentile()), p.millis()))
                        .toList()))
                .toList();
        return render(title, ninesAxis(maxX(lines)), "ms", lines);
    }

    /** 0 up to the first multiple of a 1-2-5 step at or above {@code max}, in 4 to 7 steps. */
    static double[] niceTicks(double max) {
        double top = max > 0 ? max : 1;
        double raw = top / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double residual = raw / magnitude;
        // The nice step nearest to a fifth of the range.
        double step = magnitude * (residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10);
        // The tolerance keeps a max that is a multiple of the step (up to rounding) from adding a tick.
        int count = (int) Math.ceil(top / step - 1e-9);
        double[] ticks = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    private static Line line(String name, List<TimePoint> points, ToDoubleFunction<TimePoint> millis) {
        return new Line(name, points.stream()
                .map(p -> new Point(p.secondsFromStart(), millis.applyAsDouble(p)))
                .toList());
    }

    private static Line rate(String name, List<TimePoint> points, ToLongFunction<TimePoint> count) {
        return new Line(name, IntStream.range(0, points.size())
                .mapToObj(i -> new Point(points.get(i).secondsFromStart(),
                        count.applyAsLong(points.get(i)) / interval(points, i)))
                .toList());
    }

    /** The spacing to the previous point; the first point has none, so it takes the spacing to the next. */
    private static double interval(List<TimePoint> points, int i) {
        if (points.size() < 2) {
            return 1;
        }
        int later = Math.max(i, 1);
        double spacing = points.get(later).secondsFromStart() - points.get(later - 1).secondsFromStart();
        // Repeated or unordered times would give infinite or negative rates.
        return spacing > 0 ? spacing : 1;
    }

    private static double nines(double percentile) {
        return -Math.log10(1 - Math.min(Math.max(percentile, 0), MAX_PERCENTILE) / 100);
    }

    private static Axis linearAxis(String label, double max) {
        double[] ticks = niceTicks(max);
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(ticks[1])));
        return new Axis(label, ticks[ticks.length - 1], Arrays.stream(ticks)
                .mapToObj(value -> new Tick(value, format("%." + decimals + "f", value)))
                .toList());
    }

    private static Axis ninesAxis(double maxPosition) {
        // At least up to 99, so that a short series still sits on a familiar scale.
        double max = Math.max(2, Math.ceil(maxPosition - 1e-9));
        return new Axis("percentile", max, NINES_TICKS.stream()
                .map(label -> new Tick(nines(Double.parseDouble(label)), label))
                .filter(tick -> tick.value() <= max + 1e-9)
                .toList());
    }

    private static double maxX(List<Line> lines) {
        return lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::x).max().orElse(0);
    }

    private static double maxY(List<Line> lines) {
        return lines.stream().flatMap(l -> l.points().stream()).mapToDouble(Point::y).max().orElse(0);
    }

    private static String render(String title, Axis x, String yLabel, List<Line> lines) {
        Axis y = linearAxis(yLabel, maxY(lines));
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, HEIGHT));
        svg.append(text(WIDTH / 2.0, 28, title, "text-anchor=\"middle\"", "font-size=\"16\"", "font-weight=\"bold\""));
        axes(svg, x, y);
        plot(svg, x, y, lines);
        legend(svg, lines);
        if (lines.stream().flatMap(l -> l.points().stream()).allMatch(p -> p.y() == 0)) {
            svg.append(text((LEFT + RIGHT) / 2, (TOP + BOTTOM) / 2, "no data",
                    "text-anchor=\"middle\"", "font-size=\"14\"", "fill=\"#666666\""));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Grid lines, tick labels, axis lines and axis labels: the frame every chart shares. */
    private static void axes(StringBuilder svg, Axis x, Axis y) {
        svg.append("<g class=\"x-axis\" text-anchor=\"middle\">\n");
        for (Tick tick : x.ticks()) {
            double px = xPixel(x, tick.value());
            svg.append(segment(px, TOP, px, BOTTOM, GRID));
            svg.append(text(px, BOTTOM + 18, tick.label()));
        }
        svg.append(text((LEFT + RIGHT) / 2, BOTTOM + 40, x.label()));
        svg.append("</g>\n");

        svg.append("<g class=\"y-axis\" text-anchor=\"end\">\n");
        for (Tick tick : y.ticks()) {
            double py = yPixel(y, tick.value());
            svg.append(segment(LEFT, py, RIGHT, py, GRID));
            svg.append(text(LEFT - 6, py + 4, tick.label()));
        }
        double middle = (TOP + BOTTOM) / 2;
        svg.append(text(20, middle, y.label(),
                "text-anchor=\"middle\"", format("transform=\"rotate(-90 20 %.1f)\"", middle)));
        svg.append("</g>\n");

        svg.append(format("<path d=\"M %.1f %.1f V %.1f H %.1f\" fill=\"none\" stroke=\"#333333\"/>\n",
                LEFT, TOP, BOTTOM, RIGHT));
    }

    private static void plot(StringBuilder svg, Axis x, Axis y, List<Line> lines) {
        svg.append("<g class=\"lines\" fill=\"none\" stroke-width=\"2\" stroke-linejoin=\"round\">\n");
        for (int i = 0; i < lines.size(); i++) {
            List<Point> points = lines.get(i).points();
            if (points.size() == 1) {
                // A polyline through one point draws nothing.
                svg.append(format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                        xPixel(x, points.get(0).x()), yPixel(y, points.get(0).y()), colour(i)));
            } else if (points.size() > 1) {
                StringBuilder coordinates = new StringBuilder();
                for (Point p : points) {
                    coordinates.append(format("%.1f,%.1f ", xPixel(x, p.x()), yPixel(y, p.y())));
                }
                svg.append(format("<polyline stroke=\"%s\" points=\"%s\"/>\n",
                        colour(i), coordinates.toString().strip()));
            }
        }
        svg.append("</g>\n");
    }

    private static void legend(StringBuilder svg, List<Line> lines) {
        svg.append("<g class=\"legend\">\n");
        for (int i = 0; i < lines.size(); i++) {
            double rowY = TOP + 10 + 20 * i;
            svg.append(segment(RIGHT + 15, rowY, RIGHT + 35, rowY,
                    format("stroke=\"%s\" stroke-width=\"3\"", colour(i))));
            svg.append(text(RIGHT + 42, rowY + 4, lines.get(i).name()));
        }
        svg.append("</g>\n");
    }

    private static String segment(double x1, double y1, double x2, double y2, String attributes) {
        return format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>\n", x1, y1, x2, y2, attributes);
    }

    private static String text(double x, double y, String content, String... attributes) {
        return format("<text x=\"%.1f\" y=\"%.1f\"%s>%s</text>\n",
                x, y, attributes.length == 0 ? "" : " " + String.join(" ", attributes), escape(content));
    }

    private static double xPixel(Axis x, double value) {
        return LEFT + value / x.max() * (RIGHT - LEFT);
    }

    private static double yPixel(Axis y, double value) {
        return BOTTOM - value / y.max() * (BOTTOM - TOP);
    }

    private static String colour(int index) {
        return PALETTE.get(index % PALETTE.size());
    }

    private static String escape(String text) {
        return Objects.toString(text, "")
                // Characters XML 1.0 does not allow at all, not even escaped.
                .replaceAll("[^\\x09\\x0A\\x0D\\x20-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]", "\uFFFD")
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
