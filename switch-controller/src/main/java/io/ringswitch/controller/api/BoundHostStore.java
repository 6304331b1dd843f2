package io.ringswitch.controller.api;

import java.net.InetAddress;
import java.util.List;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Keeps the hosts this site's controller bound across the node's restarts. A node restarted
 * while its bridge and hosts stay (an upgrade, {@code systemctl restart}) would otherwise make
 * each host wait for directory lookups over a ring it is still joining before its first frame
 * passes (issue 21: 1-4 s of a one-node cold start). The controller binds a remembered host at
 * once, only on the port it was bound to, and asks the directory again right after; see
 * {@code hosts.RememberedHosts} for what it checks.
 */
public interface BoundHostStore {

    /** One host as it was bound: the OpenFlow number and name of its port, its MAC and addresses. */
    record BoundHost(int port, String portName, MacAddress mac, List<InetAddress> addresses) {
        public BoundHost {
            addresses = List.copyOf(addresses);
        }
    }

    /** The bindings the last process saved; empty when there are none or they cannot be read. */
    List<BoundHost> load();

    /** Saves the bindings held now (called on the controller's thread whenever they change). */
    void save(List<BoundHost> hosts);

    /** A store that keeps nothing: every host is bound through the directory. */
    static BoundHostStore none() {
        return new BoundHostStore() {
            @Override
            public List<BoundHost> load() {
                return List.of();
            }

            @Override
            public void save(List<BoundHost> hosts) {
            }
        };
    }
}
