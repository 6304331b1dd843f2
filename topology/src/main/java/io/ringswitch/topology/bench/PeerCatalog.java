package io.ringswitch.topology.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The systems {@code bench --peers} knows, in the order it runs them, and the parsing of
 * {@code --only}. RingSwitch (encrypted, as users run it) always runs: it is what every other row
 * is compared with, RingSwitch in plaintext included.
 */
public final class PeerCatalog {
    public static final String RINGSWITCH = "ringswitch";
    public static final String RINGSWITCH_PLAINTEXT = "ringswitch-plain";
    /**
     * RingSwitch built from another checkout, named by the environment variable
     * {@value #BASELINE_ENV} (built there with {@code ./ringswitch build}): the same lab and
     * measurements as {@link #RINGSWITCH}, so that a change's before and after stand in one run.
     */
    public static final String RINGSWITCH_BASELINE = "ringswitch-baseline";
    public static final String BASELINE_ENV = "RINGSWITCH_BASELINE";

    private static final Map<String, Function<RunContext, PeerSystem>> SYSTEMS = new LinkedHashMap<>();

    static {
        SYSTEMS.put("veth", VethPeer::new);
        SYSTEMS.put(RINGSWITCH, run -> new RingSwitchPeer(run, true));
        SYSTEMS.put(RINGSWITCH_PLAINTEXT, run -> new RingSwitchPeer(run, false));
        SYSTEMS.put(RINGSWITCH_BASELINE, run -> new RingSwitchPeer(run, baselineHome()));
        SYSTEMS.put("wireguard", WireGuardPeer::new);
        SYSTEMS.put("tinc", TincPeer::new);
        SYSTEMS.put("openvpn", OpenVpnPeer::new);
        SYSTEMS.put("n2n", N2nPeer::new);
        SYSTEMS.put("ovs-vxlan", OvsVxlanPeer::new);
    }

    private static final Map<String, String> ALIASES = Map.of("wireguard-go", "wireguard", "wg", "wireguard",
            "ovs", "ovs-vxlan", "vxlan", "ovs-vxlan", "raw", "veth", "ringswitch-plaintext", RINGSWITCH_PLAINTEXT,
            "plaintext", RINGSWITCH_PLAINTEXT);

    private PeerCatalog() {
    }

    /** Every system's id, in running order; the baseline only when {@value #BASELINE_ENV} names a checkout. */
    public static List<String> ids() {
        return SYSTEMS.keySet().stream().filter(id -> !id.equals(RINGSWITCH_BASELINE) || baselineHome() != null).toList();
    }

    /** The checkout {@value #BASELINE_ENV} names, or null when it is unset or empty. */
    public static java.nio.file.Path baselineHome() {
        String dir = System.getenv(BASELINE_ENV);
        return dir == null || dir.isBlank() ? null : java.nio.file.Path.of(dir);
    }

    /**
     * The systems {@code --only} names (comma-separated, any order, case and spaces ignored), in
     * running order and with RingSwitch added; every system when {@code only} is null or blank.
     *
     * @throws IllegalArgumentException naming what is not a system, and the names that are
     */
    public static List<String> parseOnly(String only) {
        if (only == null || only.isBlank()) {
            return ids();
        }
        Set<String> wanted = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String raw : only.split(",")) {
            String name = raw.trim().toLowerCase();
            if (name.isEmpty()) {
                continue;
            }
            String id = ALIASES.getOrDefault(name, name);
            if (id.equals(RINGSWITCH_BASELINE) && baselineHome() == null) {
                throw new IllegalArgumentException("--only " + RINGSWITCH_BASELINE + ": set " + BASELINE_ENV
                        + " to a RingSwitch checkout built with ./ringswitch build (the build to compare with)");
            }
            if (SYSTEMS.containsKey(id)) {
                wanted.add(id);
            } else {
                unknown.add(raw.trim());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--only: not a system: " + String.join(", ", unknown)
                    + " (systems: " + String.join(", ", ids()) + ")");
        }
        wanted.add(RINGSWITCH);
        return ids().stream().filter(wanted::contains).toList();
    }

    static PeerSystem create(String id, RunContext run) {
        Function<RunContext, PeerSystem> factory = SYSTEMS.get(id);
        if (factory == null) {
            throw new IllegalArgumentException("not a system: " + id);
        }
        return factory.apply(run);
    }
}
