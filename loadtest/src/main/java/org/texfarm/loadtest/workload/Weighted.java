package org.texfarm.loadtest.workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** Items picked at random in proportion to their weights, such as the mix of compile kinds. */
public final class Weighted<T> {
    private final List<T> items;
    private final double[] cumulative;

    private Weighted(Map<T, Double> weights) {
        this.items = new ArrayList<>(weights.keySet());
        this.cumulative = new double[items.size()];
        double total = 0;
        for (int i = 0; i < items.size(); i++) {
            total += weights.get(items.get(i));
            cumulative[i] = total;
        }
        for (int i = 0; i < cumulative.length; i++) {
            cumulative[i] /= total;
        }
    }

    public static <T> Weighted<T> of(Map<T, Double> weights) {
        if (weights.isEmpty() || weights.values().stream().noneMatch(w -> w > 0)
                || weights.values().stream().anyMatch(w -> !(w >= 0) || Double.isInfinite(w))) {
            throw new IllegalArgumentException("weights must be zero or more, and not all zero: " + weights);
        }
        Map<T, Double> positive = new LinkedHashMap<>();
        weights.forEach((item, weight) -> {
            if (weight > 0) {
                positive.put(item, weight);
            }
        });
        return new Weighted<>(positive);
    }

    /**
     * Reads {@code name=weight,name=weight} (or plain names, each weighing 1), naming the bad part
     * when there is one.
     */
    public static <T> Weighted<T> parse(String text, Function<String, T> byName) {
        Map<T, Double> weights = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String entry = part.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? entry : entry.substring(0, equals).trim();
            double weight;
            try {
                weight = equals < 0 ? 1 : Double.parseDouble(entry.substring(equals + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "' must be name=weight, with a number as the weight");
            }
            weights.merge(byName.apply(name), weight, Double::sum);
        }
        return of(weights);
    }

    public T pick(Random random) {
        double at = random.nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (at < cumulative[i]) {
                return items.get(i);
            }
        }
        return items.getLast();
    }

    /** Each item's share of the picks (0 to 1). */
    public Map<T, Double> shares() {
        Map<T, Double> shares = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            shares.put(items.get(i), cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]));
        }
        return shares;
    }
}
