package io.ringswitch.topology.sim;

/**
 * The DHT scenario as written on the command line:
 * {@code keys=1000,replicas=3,kill=20%,gets=2000,ttl=600s,republish=30s,signed=false}: that many
 * keys stored with that many replicas and that time to live, put again by their owners that often,
 * that many timed gets, then that share of the nodes killed at once; {@code signed=true} gives every
 * node a certificate of one group CA (at the ring address it gives) and signed, owned DHT records.
 * Parts left out keep these defaults.
 */
public record DhtSpec(int keys, int replicas, double killFraction, int gets, long ttlMillis, long republishMillis,
                      boolean signed) {

    public static DhtSpec defaults() {
        return new DhtSpec(1000, 3, 0.2, 2000, 600_000, 30_000, false);
    }

    /** Parses a spec; {@code ""} and {@code "default"} give the defaults. */
    public static DhtSpec parse(String spec) {
        DhtSpec d = defaults();
        int keys = d.keys();
        int replicas = d.replicas();
        double kill = d.killFraction();
        int gets = d.gets();
        long ttl = d.ttlMillis();
        long republish = d.republishMillis();
        boolean signed = d.signed();
        String trimmed = spec.trim();
        if (!trimmed.isEmpty() && !trimmed.equals("default")) {
            for (String part : trimmed.split(",")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("dht: expected key=value, got '" + part + "'");
                }
                switch (kv[0].trim()) {
                    case "keys" -> keys = count(kv[1]);
                    case "replicas" -> replicas = count(kv[1]);
                    case "kill" -> kill = share(kv[1]);
                    case "gets" -> gets = count(kv[1]);
                    case "ttl" -> ttl = seconds(kv[1]);
                    case "republish" -> republish = seconds(kv[1]);
                    case "signed" -> signed = flag(kv[1]);
                    default -> throw new IllegalArgumentException(
                            "dht: unknown key '" + kv[0] + "' (keys, replicas, kill, gets, ttl, republish, signed)");
                }
            }
        }
        if (keys < 1 || keys > 1_000_000 || replicas < 1 || replicas > 7 || kill < 0 || kill > 0.5 || gets < 0
                || ttl < 10_000 || ttl > 86_400_000L || republish < 1000 || republish > ttl / 2) {
            throw new IllegalArgumentException("dht: keys 1-1000000, replicas 1-7, kill 0-50%, gets at least 0, "
                    + "ttl 10s to 86400s, republish 1s to half the ttl");
        }
        return new DhtSpec(keys, replicas, kill, gets, ttl, republish, signed);
    }

    private static boolean flag(String v) {
        return switch (v.trim()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("dht: signed is true or false, not '" + v + "'");
        };
    }

    private static int count(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dht: '" + v + "' is no count");
        }
    }

    private static long seconds(String v) {
        String t = v.trim();
        return 1000L * count(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
    }

    private static double share(String v) {
        String t = v.trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dht: '" + v + "' is no share (like 20%)");
        }
    }
}
