package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the bridge dial the node's controller at once when the controller starts listening,
 * instead of at the end of Open vSwitch's reconnect backoff.
 *
 * <p>While its controller is unreachable, OVS tries again after 1, 2, 4 and then every 8 s.
 * The Controller row's {@code max_backoff} does not shorten this: OVS 3.1 applies it to a
 * connection only once that connection is up ({@code ofconn_reconfigure} in
 * {@code ofproto/connmgr.c}), so a bridge whose node restarted was seen to wait 5 to 8 s for its
 * next try, with every frame of its hosts dropped meanwhile (issue 21, cold start). OVS dials a
 * controller target it has not had before at once; this writes the bridge's Controller row
 * again, with every column it had, in two transactions (OVS keys its connections by target, so
 * a row replaced in one transaction would keep the old connection and its backoff).
 *
 * <p>Only a bridge whose one controller is this node's target, and that waits out its backoff, is
 * touched. Between the two transactions (tens of milliseconds) the bridge has no controller; with
 * {@code fail-mode=secure} its flows stay as they are. Two costs were seen on a loaded machine:
 * OVS gives a new connection 1 s for the OpenFlow hello, and a controller that answers later is
 * dialled again a second after; and a bridge that dials on its own between the check and the
 * rewrite loses that first connection and makes another at once.
 */
final class OvsControllerDialIn {
    private static final Logger log = LoggerFactory.getLogger(OvsControllerDialIn.class);
    /** Columns that OVS writes itself (status) or that identify the row: not copied. */
    private static final Set<String> NOT_COPIED = Set.of("_uuid", "is_connected", "role", "status");

    private final NodeConfig.Bridge bridge;
    private final String target;
    private final BooleanSupplier switchConnected;

    /**
     * @param target          the controller target this node listens on, as the bridge's row names it
     * @param switchConnected whether the controller has the bridge already (then nothing is done)
     */
    OvsControllerDialIn(NodeConfig.Bridge bridge, String target, BooleanSupplier switchConnected) {
        this.bridge = bridge;
        this.target = target;
        this.switchConnected = switchConnected;
    }

    /**
     * Does {@link #now} on a thread of its own, so that the node's start (and its join) does not
     * wait for the {@code ovs-vsctl} runs, which take a second on a loaded machine.
     */
    void start() {
        Thread thread = new Thread(this::now, "ovs-dial-in");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes the Controller row again when it is this node's alone and OVS backs off; logs and goes on when it cannot. */
    void now() {
        try {
            String rows = vsctl("get", "Bridge", bridge.name(), "controller").trim();
            List<String> uuids = rows.equals("[]") ? List.of()
                    : List.of(rows.replace("[", "").replace("]", "").split(",\\s*"));
            if (uuids.size() != 1) {
                log.debug("bridge {} has {} controllers: left to dial in by itself", bridge.name(), uuids.size());
                return;
            }
            String listing = vsctl("list", "Controller", uuids.get(0));
            Map<String, String> columns = columns(listing);
            if (!("\"" + target + "\"").equals(columns.get("target")) && !target.equals(columns.get("target"))) {
                log.debug("bridge {} dials {}, not {}: left as it is", bridge.name(), columns.get("target"), target);
                return;
            }
            if (!backingOff(listing) || switchConnected.getAsBoolean()) {
                log.debug("bridge {} is connecting or connected to {} already", bridge.name(), target);
                return;
            }
            List<String> create = new ArrayList<>(List.of("--id=@c", "create", "Controller"));
            columns.forEach((name, value) -> create.add(name + "=" + value));
            create.addAll(List.of("--", "set", "Bridge", bridge.name(), "controller=@c"));
            vsctl("clear", "Bridge", bridge.name(), "controller");
            writeBack(create);
            log.info("bridge {} was waiting out its reconnect backoff: asked to dial {} now", bridge.name(), target);
        } catch (IOException e) {
            log.warn("could not make bridge {} dial the controller at once ({}); it will after its reconnect backoff",
                    bridge.name(), e.getMessage());
        }
    }

    /** Gives the bridge its Controller row back; tried twice, since a bridge left without it would never dial. */
    private void writeBack(List<String> create) throws IOException {
        try {
            vsctl(create.toArray(String[]::new));
        } catch (IOException first) {
            log.warn("bridge {}: writing its Controller row back failed ({}); trying again", bridge.name(), first.getMessage());
            try {
                vsctl(create.toArray(String[]::new));
            } catch (IOException again) {
                log.error("bridge {} has no controller now; restore it with ovs-vsctl set-controller {} {}", bridge.name(),
                        bridge.name(), target);
                throw again;
            }
        }
    }

    /**
     * The columns of one row as {@code ovs-vsctl list} prints them ({@code name : value}, values
     * in ovs-vsctl's own syntax, which {@code create} reads back), without the status columns and
     * without empty ones (their default is what {@code create} gives).
     */
    static Map<String, String> columns(String listing) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.isEmpty() || NOT_COPIED.contains(name) || value.equals("[]") || value.equals("{}")
                    || value.equals("\"\"")) {
                continue;
            }
            columns.put(name, value);
        }
        return columns;
    }

    /**
     * Whether the row's status says OVS waits out its backoff ({@code state=BACKOFF}): a bridge that
     * is connecting or connected is left alone, or its connection would be dropped and made again.
     */
    static boolean backingOff(String listing) {
        for (String line : listing.split("\n")) {
            if (line.startsWith("status") && line.contains("state=BACKOFF")) {
                return true;
            }
        }
        return false;
    }

    private String vsctl(String... args) throws IOException {
        return OvsCtl.run(bridge, args);
    }
}
