package io.ringswitch.controller.hosts;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The bindings of one bridge: which MACs each local port owns and which addresses each MAC owns.
 * A MAC belongs to at most one port and an address to at most one MAC. Pure state, no messages.
 */
final class HostTable {
    /** A host address and who owns it. */
    record Binding(OFPort port, MacAddress mac, InetAddress ip) {
    }

    private final Map<OFPort, Map<MacAddress, Set<InetAddress>>> ports = new LinkedHashMap<>();
    private final Map<MacAddress, OFPort> macs = new HashMap<>();
    private final Map<InetAddress, Binding> addresses = new HashMap<>();

    OFPort portOf(MacAddress mac) {
        return macs.get(mac);
    }

    Binding binding(InetAddress ip) {
        return addresses.get(ip);
    }

    /** The MACs of a port, in the order they were bound. */
    List<MacAddress> macs(OFPort port) {
        Map<MacAddress, Set<InetAddress>> hosts = ports.get(port);
        return hosts == null ? List.of() : List.copyOf(hosts.keySet());
    }

    /** The addresses of a MAC, in the order they were bound. */
    List<InetAddress> addresses(MacAddress mac) {
        OFPort port = macs.get(mac);
        return port == null ? List.of() : List.copyOf(ports.get(port).get(mac));
    }

    int macCount() {
        return macs.size();
    }

    int addressCount() {
        return addresses.size();
    }

    void bindMac(OFPort port, MacAddress mac) {
        if (macs.containsKey(mac)) {
            throw new IllegalStateException(mac + " is bound to port " + macs.get(mac));
        }
        macs.put(mac, port);
        ports.computeIfAbsent(port, p -> new LinkedHashMap<>()).put(mac, new LinkedHashSet<>());
    }

    /** Binds an address to a MAC already bound to a port. */
    Binding bindAddress(MacAddress mac, InetAddress ip) {
        OFPort port = macs.get(mac);
        if (port == null || addresses.containsKey(ip)) {
            throw new IllegalStateException("cannot bind " + ip + " to " + mac);
        }
        Binding binding = new Binding(port, mac, ip);
        addresses.put(ip, binding);
        ports.get(port).get(mac).add(ip);
        return binding;
    }

    void unbindAddress(InetAddress ip) {
        Binding binding = addresses.remove(ip);
        if (binding != null) {
            ports.get(binding.port()).get(binding.mac()).remove(ip);
        }
    }

    /** Unbinds a MAC that owns no address any more. */
    void unbindMac(MacAddress mac) {
        OFPort port = macs.remove(mac);
        if (port != null) {
            Map<MacAddress, Set<InetAddress>> hosts = ports.get(port);
            hosts.remove(mac);
            if (hosts.isEmpty()) {
                ports.remove(port);
            }
        }
    }
}
