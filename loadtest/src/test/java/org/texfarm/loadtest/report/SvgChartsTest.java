package org.texfarm.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartsTest {
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    private static final List<TimePoint> RUN = List.of(
            new TimePoint(10, 40, 0, 100, 300, 500),
            new TimePoint(20, 60, 2, 150, 400, 700),
            new TimePoint(30, 50, 1, 200, 500, 937));

    private static final Map<String, List<PercentilePoint>> SERIES = new LinkedHashMap<>();

    static {
        SERIES.put("first", List.of(new PercentilePoint(0, 800), new PercentilePoint(50, 1200), new PercentilePoint(99, 3000)));
        SERIES.put("edit", List.of(new PercentilePoint(50, 150), new PercentilePoint(99.9, 400)));
        SERIES.put("unchanged", List.of(new PercentilePoint(50, 20), new PercentilePoint(100, 90)));
    }

    @Test
    void everyChartIsAStandaloneSvgDocument() throws Exception {
        for (String svg : List.of(
                SvgCharts.latencyOverTime("Latency", RUN),
                SvgCharts.throughput("Throughput", RUN),
                SvgCharts.percentiles("Percentiles", SERIES))) {
            Element root = parse(svg).getDocumentElement();

            assertThat(svg).startsWith("<?xml");
            assertThat(root.getLocalName()).isEqualTo("svg");
            assertThat(root.getNamespaceURI()).isEqualTo(SVG_NAMESPACE);
            assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 800 420");
            assertThat(svg).doesNotContain("no data");
        }
    }

    @Test
    void legendNamesEveryLine() throws Exception {
        assertThat(texts(parse(SvgCharts.latencyOverTime("Latency", RUN)), "legend"))
                .containsExactly("p50", "p99", "max");
        assertThat(texts(parse(SvgCharts.throughput("Throughput", RUN)), "legend"))
                .containsExactly("completed", "errors");
        assertThat(texts(parse(SvgCharts.percentiles("Percentiles", SERIES)), "legend"))
                .containsExactly("first", "edit", "unchanged");
    }

    @Test
    void linesGetDistinctColoursAndCycleThePaletteBeyondIt() throws Exception {
        Map<String, List<PercentilePoint>> nine = new LinkedHashMap<>();
        for (int i = 1; i <= 9; i++) {
            nine.put("series " + i, List.of(new PercentilePoint(50, i), new PercentilePoint(99, 2 * i)));
        }

        List<String> colours = new ArrayList<>();
        NodeList lines = parse(SvgCharts.percentiles("Many", nine)).getElementsByTagNameNS(SVG_NAMESPACE, "polyline");
        for (int i = 0; i < lines.getLength(); i++) {
            colours.add(((Element) lines.item(i)).getAttribute("stroke"));
        }

        assertThat(colours).hasSize(9);
        assertThat(colours.subList(0, 8)).doesNotHaveDuplicates();
        assertThat(colours.get(8)).isEqualTo(colours.get(0));
    }

    @Test
    void markupInTitlesAndNamesIsEscaped() throws Exception {
        String name = "<&>\"' run";
        String svg = SvgCharts.percentiles(name, Map.of(name, List.of(new PercentilePoint(50, 1))));
        Document document = parse(svg);

        assertThat(svg).contains("&lt;&amp;&gt;&quot;&apos; run");
        assertThat(texts(document, "legend")).containsExactly(name);
        assertThat(document.getDocumentElement().getTextContent()).contains(name);
        assertThat(parse(SvgCharts.latencyOverTime(name, RUN)).getDocumentElement().getTextContent()).contains(name);
    }

    @Test
    void emptyInputsGiveAValidChartSayingNoData() throws Exception {
        List<TimePoint> idle = List.of(new TimePoint(10, 0, 0, 0, 0, 0), new TimePoint(20, 0, 0, 0, 0, 0));
        for (String svg : List.of(
                SvgCharts.latencyOverTime("Latency", List.of()),
                SvgCharts.throughput("Throughput", List.of()),
                SvgCharts.percentiles("Percentiles", Map.of()),
                SvgCharts.percentiles("Percentiles", Map.of("first", List.of())),
                SvgCharts.latencyOverTime("Latency", idle),
                SvgCharts.throughput("Throughput", idle),
                SvgCharts.percentiles("Percentiles", Map.of("first", List.of(new PercentilePoint(99, 0)))))) {
            assertThat(parse(svg).getDocumentElement().getLocalName()).isEqualTo("svg");
            assertThat(svg).contains("no data").doesNotContain("NaN").doesNotContain("Infinity");
        }
    }

    @Test
    void degenerateValuesNeverReachTheDocument() throws Exception {
        List<TimePoint> odd = List.of(
                new TimePoint(5, 10, 1, Double.NaN, Double.POSITIVE_INFINITY, 12),
                new TimePoint(5, 10, 1, 3, 4, 5));
        for (String svg : List.of(
                SvgCharts.latencyOverTime("Latency", odd),
                SvgCharts.throughput("Throughput", odd),
                SvgCharts.throughput("Throughput", List.of(new TimePoint(1, 7, 0, 1, 2, 3))),
                SvgCharts.percentiles("Percentiles", Map.of("all", List.of(
                        new PercentilePoint(100, 50), new PercentilePoint(Double.NaN, 1), new PercentilePoint(-5, 1)))))) {
            parse(svg);
            assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
        }
    }

    @Test
    void higherLatencyIsDrawnHigherOnThePage() throws Exception {
        double[][] p50 = polylines(parse(SvgCharts.latencyOverTime("Latency", RUN))).get(0);

        assertThat(p50).hasNumberOfRows(3);
        assertThat(p50[1][0]).isGreaterThan(p50[0][0]);
        assertThat(p50[2][0]).isGreaterThan(p50[1][0]);
        // SVG's y grows downward.
        assertThat(p50[1][1]).isLessThan(p50[0][1]);
        assertThat(p50[2][1]).isLessThan(p50[1][1]);
    }

    @Test
    void higherPercentilesLieFurtherRightWhateverTheirOrder() throws Exception {
        double[][] first = polylines(parse(SvgCharts.percentiles("Percentiles", Map.of("first", List.of(
                new PercentilePoint(99.9, 900), new PercentilePoint(50, 100), new PercentilePoint(99, 500)))))).get(0);

        assertThat(first[1][0]).isGreaterThan(first[0][0]);
        assertThat(first[2][0]).isGreaterThan(first[1][0]);
        assertThat(first[2][1]).isLessThan(first[1][1]);
    }

    @Test
    void percentileAxisUsesTheNinesScale() throws Exception {
        assertThat(texts(parse(SvgCharts.percentiles("Percentiles", SERIES)), "x-axis"))
                .containsExactly("0", "50", "90", "99", "99.9", "99.99", "99.999", "percentile");
        Document toThreeNines = parse(SvgCharts.percentiles("Percentiles", Map.of("edit", List.of(new PercentilePoint(99.9, 4)))));
        assertThat(texts(toThreeNines, "x-axis")).containsExactly("0", "50", "90", "99", "99.9", "percentile");
    }

    @Test
    void throughputDividesCountsByTheSpacingBetweenPoints() throws Exception {
        Document chart = parse(SvgCharts.throughput("Throughput", List.of(
                new TimePoint(10, 50, 0, 1, 1, 1), new TimePoint(20, 100, 0, 1, 1, 1))));
        double[][] completed = polylines(chart).get(0);
        double zero = polylines(chart).get(1)[0][1];

        // 5 and then 10 per second: the second twice as high, at the top of an axis to 10.
        assertThat(texts(chart, "y-axis")).containsExactly("0", "2", "4", "6", "8", "10", "per second");
        assertThat(zero - completed[1][1]).isCloseTo(2 * (zero - completed[0][1]), within(0.2));
    }

    @Test
    void singlePointCountsAsOneSecond() throws Exception {
        Document chart = parse(SvgCharts.throughput("Throughput", List.of(new TimePoint(3, 7, 0, 1, 1, 1))));

        assertThat(texts(chart, "y-axis")).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "per second");
    }

    @Test
    void axesAreLabelledWithTheirUnits() throws Exception {
        Document latency = parse(SvgCharts.latencyOverTime("Latency", RUN));

        assertThat(texts(latency, "x-axis")).containsExactly("0", "5", "10", "15", "20", "25", "30", "seconds");
        assertThat(texts(latency, "y-axis")).containsExactly("0", "200", "400", "600", "800", "1000", "ms");
        assertThat(texts(parse(SvgCharts.percentiles("Percentiles", SERIES)), "y-axis")).endsWith("ms");
    }

    @Test
    void niceTicksStepByOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgCharts.niceTicks(937)).containsExactly(0, 200, 400, 600, 800, 1000);
        assertThat(SvgCharts.niceTicks(1000)).containsExactly(0, 200, 400, 600, 800, 1000);
        assertThat(SvgCharts.niceTicks(42)).containsExactly(0, 10, 20, 30, 40, 50);
        assertThat(SvgCharts.niceTicks(3)).containsExactly(0, 0.5, 1, 1.5, 2, 2.5, 3);
        assertThat(SvgCharts.niceTicks(101)).containsExactly(0, 20, 40, 60, 80, 100, 120);
        assertThat(SvgCharts.niceTicks(0.23)).containsExactly(new double[] {0, 0.05, 0.1, 0.15, 0.2, 0.25}, within(1e-12));
        assertThat(SvgCharts.niceTicks(0)).containsExactly(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, within(1e-12));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The texts inside the group of the given class, in document order. */
    private static List<String> texts(Document document, String groupClass) {
        List<String> texts = new ArrayList<>();
        NodeList groups = document.getElementsByTagNameNS(SVG_NAMESPACE, "g");
        for (int g = 0; g < groups.getLength(); g++) {
            Element group = (Element) groups.item(g);
            if (group.getAttribute("class").equals(groupClass)) {
                NodeList nodes = group.getElementsByTagNameNS(SVG_NAMESPACE, "text");
                for (int t = 0; t < nodes.getLength(); t++) {
                    texts.add(nodes.item(t).getTextContent());
                }
            }
        }
        return texts;
    }

    /** Each polyline's points as {x, y} pairs. */
    private static List<double[][]> polylines(Document document) {
        List<double[][]> lines = new ArrayList<>();
        NodeList nodes = document.getElementsByTagNameNS(SVG_NAMESPACE, "polyline");
        for (int i = 0; i < nodes.getLength(); i++) {
            lines.add(Arrays.stream(((Element) nodes.item(i)).getAttribute("points").split(" "))
                    .map(pair -> Arrays.stream(pair.split(",")).mapToDouble(Double::parseDouble).toArray())
                    .toArray(double[][]::new));
        }
        return lines;
    }
}
