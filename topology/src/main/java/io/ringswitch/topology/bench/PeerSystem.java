package io.ringswitch.topology.bench;

import java.io.IOException;
import java.util.List;

/**
 * One system that {@code bench --peers} measures: something that joins a client and a server
 * namespace so that the client can reach the server's address. {@link #up} builds it and waits
 * until the path carries pings; {@link #down} removes everything it made, whether or not
 * {@code up} finished, and may be called more than once.
 */
public interface PeerSystem {

    /** The name {@code --only} takes: {@code veth}, {@code wireguard}, {@code ovs-vxlan}, ... */
    String id();

    /** The name in the table: {@code raw veth}, {@code wireguard-go}, ... */
    String label();

    /** The Debian packages that provide {@link #programs()}, installed when one of them is missing. */
    List<String> packages();

    /** The programs this system runs, looked up on the PATH before it is brought up. */
    List<String> programs();

    /** Builds the path and waits until it carries pings; throws with the reason when it does not come up. */
    Endpoints up() throws IOException, InterruptedException;

    /** Removes the namespaces, daemons and files this system made; never throws. */
    void down();

    /** The processes that carry the traffic (VPN daemons, switches), by side; empty for a bare link. */
    List<Daemon> daemonPids();
}
