package io.ringswitch.topology.sim;

/**
 * Churn as written on the command line: {@code crash=10%,join=10%,within=60s}: that share of the
 * nodes crashes, that share joins anew, at random moments within the window.
 */
public record ChurnSpec(double crashFraction, double joinFraction, long withinMillis) {

    public static ChurnSpec parse(String spec) {
        double crash = 0;
        double join = 0;
        long within = 60_000;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("churn: expected key=value, got '" + part + "'");
            }
            switch (kv[0].trim()) {
                case "crash" -> crash = percent(kv[1]);
                case "join" -> join = percent(kv[1]);
                case "within" -> within = millis(kv[1]);
                default -> throw new IllegalArgumentException("churn: unknown key '" + kv[0] + "' (crash, join, within)");
            }
        }
        if (crash < 0 || crash > 0.5 || join < 0 || join > 1) {
            throw new IllegalArgumentException("churn: crash 0-50%, join 0-100%");
        }
        if (within < 1000) {
            throw new IllegalArgumentException("churn: within at least 1s");
        }
        return new ChurnSpec(crash, join, within);
    }

    private static double percent(String v) {
        String t = v.trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("churn: '" + v + "' is no share (like 10%)");
        }
    }

    private static long millis(String v) {
        String t = v.trim();
        try {
            if (t.endsWith("ms")) {
                return Long.parseLong(t.substring(0, t.length() - 2));
            }
            if (t.endsWith("s")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
            }
            if (t.endsWith("m")) {
                return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
            }
            return Long.parseLong(t) * 1000;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("churn: '" + v + "' is no duration (like 60s)");
        }
    }
}
