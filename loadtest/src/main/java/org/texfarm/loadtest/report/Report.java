package org.texfarm.loadtest.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A load test's report: its settings, what the service run measured, and, with
 * {@code --compare-bare}, what bare latexmk measured under the same load and the service's cost
 * as a ratio to it.
 *
 * @param settings       the command's settings, by name
 * @param service        the run against the service
 * @param bare           the run against bare latexmk, or null
 * @param comparedToBare service / bare over every successful answer on each side (the service's
 *                       result-cache answers included), by kind of compile ("all" for every kind), or empty
 * @param notes          what the reader should know (resources the service could not fetch, errors)
 */
public record Report(String startedAt, Map<String, String> settings, RunSummary service, RunSummary bare,
                     Map<String, Comparison> comparedToBare, List<String> notes) {

    /**
     * The service against bare TeX for one kind of compile, answer for answer.
     *
     * @param medianLatency    service median / bare median
     * @param p99Latency       service p99 / bare p99
     * @param answersPerSecond service answers per second / bare answers per second
     */
    public record Comparison(double medianLatency, double p99Latency, double answersPerSecond) {
    }

    public static Report of(String startedAt, Map<String, String> settings, RunSummary service, RunSummary bare,
                            List<String> notes) {
        Map<String, Comparison> compared = new LinkedHashMap<>();
        if (bare != null) {
            compared.put("all", compare(service.answerLatency(), bare.answerLatency(), service.answersPerSecond(),
                    bare.answersPerSecond()));
            Set<String> kinds = new TreeSet<>(service.answersByKind().keySet());
            kinds.retainAll(bare.answersByKind().keySet());
            for (String kind : kinds) {
                compared.put(kind, compare(service.answersByKind().get(kind), bare.answersByKind().get(kind),
                        service.answersPerSecondByKind().get(kind), bare.answersPerSecondByKind().get(kind)));
            }
        }
        return new Report(startedAt, settings, service, bare, compared, notes);
    }

    private static Comparison compare(LatencySummary service, LatencySummary bare, double serviceRate, double bareRate) {
        return new Comparison(ratio(service.p50(), bare.p50()), ratio(service.p99(), bare.p99()), ratio(serviceRate, bareRate));
    }

    private static double ratio(double service, double bare) {
        return bare > 0 ? service / bare : 0;
    }
}
