package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.controller.api.BoundHostStore.BoundHost;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The hosts this site bound before the node restarted, turned into bindings the
 * {@link HostManager} may make before the directory answers; and the journal that saves what is
 * bound now, for the next start.
 *
 * <p>Why binding early keeps the directory's word: a remembered host was accepted by the
 * directory when it was bound, and its records, published under this node's ring address (kept
 * across restarts with its key), live on in the DHT for their time to live. What can have changed
 * while the node was down is that the host moved to another site, or that another host took its
 * place on the port. So a remembered binding vouches only for the same MAC on the same port (same
 * OpenFlow number and name) and, for an address, the same MAC; only during
 * {@link #WINDOW_MILLIS} after the controller started; and only once. The host manager then asks
 * the directory at once and undoes the binding when the answer places the MAC or address elsewhere
 * (or does not come), and publishes the address only after that answer: an early binding never
 * puts a record in the DHT that the directory did not accept. A host that spoofs a remembered MAC
 * from another port, or a remembered address from another MAC, waits for the directory as any
 * new host does.
 */
final class RememberedHosts implements HostListener {
    /** How long after the controller starts remembered bindings are used: a restart, not a cold boot days later. */
    static final long WINDOW_MILLIS = 60_000;

    private final BoundHostStore store;
    private final long startedMillis;
    /** Remembered and not used yet, by MAC. */
    private final Map<MacAddress, BoundHost> remembered = new LinkedHashMap<>();
    /** The names of the ports the switch listed, by number. */
    private final Map<OFPort, String> portNames = new HashMap<>();
    /** What is bound now: MAC to port and addresses, in binding order. */
    private final Map<MacAddress, OFPort> boundPorts = new LinkedHashMap<>();
    private final Map<MacAddress, Set<InetAddress>> boundAddresses = new HashMap<>();

    RememberedHosts(BoundHostStore store, long startedMillis) {
        this.store = store;
        this.startedMillis = startedMillis;
        for (BoundHost host : store.load()) {
            remembered.put(host.mac(), host);
        }
    }

    /** Notes a port's name as the switch lists it: a remembered binding needs its port to be the same one. */
    void portListed(SwitchPort port) {
        portNames.put(port.number(), port.name());
    }

    /** Whether {@code mac} was bound to this very port before the restart (and may be bound now, once). */
    boolean vouchesFor(OFPort port, MacAddress mac, long now) {
        BoundHost host = remembered.get(mac);
        return host != null && now - startedMillis < WINDOW_MILLIS && host.port() == port.getPortNumber()
                && portNames.containsKey(port) && Objects.equals(host.portName(), portNames.get(port));
    }

    /** Whether {@code ip} was bound to {@code mac} on this port before the restart. */
    boolean vouchesFor(OFPort port, MacAddress mac, InetAddress ip, long now) {
        return vouchesFor(port, mac, now) && remembered.get(mac).addresses().contains(ip);
    }

    /** Uses up the remembered address (a second claim goes to the directory). */
    void used(MacAddress mac, InetAddress ip) {
        BoundHost host = remembered.get(mac);
        if (host != null) {
            List<InetAddress> rest = new ArrayList<>(host.addresses());
            rest.remove(ip);
            remembered.put(mac, new BoundHost(host.port(), host.portName(), mac, rest));
        }
    }

    /** Forgets every remembered host once the window is over (the journal then keeps only what is bound). */
    void expire(long now) {
        if (!remembered.isEmpty() && now - startedMillis >= WINDOW_MILLIS) {
            remembered.clear();
            save();
        }
    }

    /** Forgets a remembered host: the directory placed it elsewhere, or it was bound otherwise. */
    void forget(MacAddress mac) {
        if (remembered.remove(mac) != null) {
            save();
        }
    }

    @Override
    public List<OFMessage> macBound(OFPort port, MacAddress mac) {
        boundPorts.put(mac, port);
        save();
        return List.of();
    }

    @Override
    public List<OFMessage> macUnbound(OFPort port, MacAddress mac) {
        boundPorts.remove(mac);
        boundAddresses.remove(mac);
        remembered.remove(mac);
        save();
        return List.of();
    }

    @Override
    public List<OFMessage> addressBound(OFPort port, MacAddress mac, InetAddress ip) {
        boundAddresses.computeIfAbsent(mac, m -> new LinkedHashSet<>()).add(ip);
        save();
        return List.of();
    }

    @Override
    public List<OFMessage> addressUnbound(OFPort port, MacAddress mac, InetAddress ip) {
        Set<InetAddress> addresses = boundAddresses.get(mac);
        if (addresses != null) {
            addresses.remove(ip);
        }
        save();
        return List.of();
    }

    /**
     * What is bound now, and what is remembered and not claimed again yet (a host that kept quiet
     * since the start, an address its host has not used since): a second restart within the window
     * still finds them.
     */
    private void save() {
        Map<MacAddress, BoundHost> out = new LinkedHashMap<>();
        remembered.forEach((mac, host) -> {
            if (!boundPorts.containsKey(mac)) {
                out.put(mac, host);
            }
        });
        boundPorts.forEach((mac, port) -> {
            // A remembered address its host has not claimed again yet stays remembered with it.
            Set<InetAddress> addresses = new LinkedHashSet<>(boundAddresses.getOrDefault(mac, Set.of()));
            BoundHost before = remembered.get(mac);
            if (before != null && before.port() == port.getPortNumber()) {
                addresses.addAll(before.addresses());
            }
            out.put(mac, new BoundHost(port.getPortNumber(), portNames.get(port), mac, List.copyOf(addresses)));
        });
        store.save(List.copyOf(out.values()));
    }
}
