package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.hosts.HostTable.Binding;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.HostBindings;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which MAC and addresses live on which local port. Bindings come from DHCP leases (the DHCP
 * manager calls {@link #leased}) and from the frames port security sends here from a source it
 * does not know yet ({@link #sourceSeen}): a new MAC on an untrusted port, an ARP, IPv4 or ND
 * sender address not bound yet. The site directory has the last word: a MAC or address that it
 * places at another site, or that another local host owns, is refused (counted, logged) and never
 * bound ({@link SourceClaims} decides on those frames). Accepted addresses are published; a port's removal unbinds and withdraws its hosts. The
 * listeners (port security, ARP/ND responder, L2 table) turn each binding into flows; on a switch
 * (re)connect each port's bindings are replayed to them when the port is listed again, so bindings
 * survive the reconnect. After a restart of the node, the hosts it bound before are bound again at
 * once and checked with the directory right after ({@link RememberedHosts}).
 */
public final class HostManager implements SwitchManager, HostBindings {
    private static final Logger log = LoggerFactory.getLogger(HostManager.class);

    private final SiteDirectory directory;
    private final int macsPerPort;
    private final HostTable table = new HostTable();
    private final List<HostListener> listeners = new ArrayList<>();
    private final RememberedHosts remembered;
    /** Decides on the frames from sources not bound yet, with the directory's word. */
    private final SourceClaims claims;
    private long moves;

    public HostManager(SwitchContext ctx, SiteDirectory directory, SwitchSettings settings) {
        this(ctx, directory, settings, BoundHostStore.none());
    }

    /** The same, binding the hosts {@code store} remembers at once after a restart, and saving the bindings there. */
    public HostManager(SwitchContext ctx, SiteDirectory directory, SwitchSettings settings, BoundHostStore store) {
        this.directory = directory;
        this.macsPerPort = settings.macsPerPort();
        this.remembered = new RememberedHosts(store, ctx.nowMillis());
        this.claims = new SourceClaims(ctx, directory, this, table, remembered);
        listeners.add(remembered);
    }

    /** Counters for the node's status. */
    public record Counters(long addressConflicts, long macConflicts, long moves, long malformed, long macsBound,
                           long addressesBound) {
    }

    public Counters stats() {
        return new Counters(claims.addressConflicts(), claims.macConflicts(), moves, claims.malformed(),
                table.macCount(), table.addressCount());
    }

    @Override
    public Map<String, Long> counters() {
        HeldFrames pending = claims.pending();
        return Map.of("address_conflicts", claims.addressConflicts(), "mac_conflicts", claims.macConflicts(),
                "host_moves", moves, "host_frames_malformed", claims.malformed(), "macs_bound", (long) table.macCount(),
                "addresses_bound", (long) table.addressCount(), "host_frames_held_dropped", pending.dropped(),
                "host_claims_pending", (long) pending.claims(), "host_claims_timed_out", pending.timedOut());
    }

    /** Adds a manager that turns bindings into flows; listeners hear events in the order they were added. */
    public void addListener(HostListener listener) {
        listeners.add(listener);
    }

    @Override
    public U64 cookie() {
        return Cookies.HOSTS;
    }

    /** The switch's tables were just emptied; the bindings come back port by port as the switch lists them. */
    @Override
    public List<OFMessage> switchReady() {
        return List.of();
    }

    /**
     * Replays the port's bindings to the listeners: after a reconnect their flows come back once the
     * port is listed again, when its meters exist (OVS refuses a flow naming a missing meter) and
     * whether it is trusted is known. A port just plugged in has no bindings.
     */
    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        remembered.portListed(port);
        List<OFMessage> out = new ArrayList<>();
        for (MacAddress mac : table.macs(port.number())) {
            out.addAll(tell(l -> l.macBound(port.number(), mac)));
        }
        for (MacAddress mac : table.macs(port.number())) {
            for (InetAddress ip : table.addresses(mac)) {
                out.addAll(tell(l -> l.addressBound(port.number(), mac, ip)));
            }
        }
        return out;
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        List<OFMessage> out = new ArrayList<>();
        for (MacAddress mac : table.macs(port.number())) {
            out.addAll(unbindMac(mac));
        }
        return out;
    }

    /** Gives up claims the directory has not answered in time (a lost lookup must not hold its slot for good). */
    @Override
    public List<OFMessage> tick() {
        claims.tick();
        return List.of();
    }

    @Override
    public OFPort portOf(MacAddress mac) {
        return table.portOf(mac);
    }

    @Override
    public MacAddress macOf(OFPort port) {
        List<MacAddress> macs = table.macs(port);
        return macs.isEmpty() ? null : macs.get(0);
    }

    /** The MACs bound to a port. */
    public List<MacAddress> macs(OFPort port) {
        return table.macs(port);
    }

    /** The addresses bound to a MAC. */
    public List<InetAddress> addresses(MacAddress mac) {
        return table.addresses(mac);
    }

    /** Whether an untrusted port may still bind a MAC it has not got. */
    public boolean hasRoom(OFPort port) {
        return table.macs(port).size() < macsPerPort;
    }

    /** The DHCP server's lease is the binding: it moves the MAC and address here if they were elsewhere. */
    @Override
    public List<OFMessage> leased(OFPort port, MacAddress mac, InetAddress ip) {
        List<OFMessage> out = new ArrayList<>();
        OFPort was = table.portOf(mac);
        if (was != null && !was.equals(port)) {
            moves++;
            log.info("{} moved from port {} to port {} (DHCP lease for {})", mac, was, port, ip.getHostAddress());
            out.addAll(unbindMac(mac));
        }
        Binding owner = table.binding(ip);
        if (owner != null && owner.mac().equals(mac) && owner.port().equals(port)) {
            return out;
        }
        if (owner != null) {
            moves++;
            log.info("{} moved from {} on port {} to {} on port {} (DHCP lease)", ip.getHostAddress(), owner.mac(),
                    owner.port(), mac, port);
            out.addAll(unbindAddress(ip));
        }
        if (table.portOf(mac) == null) {
            out.addAll(bindMac(port, mac));
        }
        out.addAll(bindAddress(mac, ip));
        return out;
    }

    @Override
    public List<OFMessage> leaseEnded(OFPort port, MacAddress mac, InetAddress ip) {
        Binding owner = table.binding(ip);
        if (owner == null || !owner.mac().equals(mac) || !owner.port().equals(port)) {
            return List.of();
        }
        return unbindAddress(ip);
    }

    /**
     * A frame that port security sent here because it does not know its source MAC on {@code port},
     * or its sender address: bind the source if the directory and the local bindings allow it, then
     * re-inject the frame. The answer comes later (through {@link SwitchContext#send}).
     */
    public List<OFMessage> sourceSeen(OFPort port, byte[] frame) {
        return claims.sourceSeen(port, frame);
    }

    /*
     * The changes of the bindings, for this class and its SourceClaims: each updates the table,
     * logs, publishes or withdraws with the directory, and returns the listeners' flows.
     */

    List<OFMessage> bindMac(OFPort port, MacAddress mac) {
        table.bindMac(port, mac);
        log.info("bound {} to port {}", mac, port);
        return tell(l -> l.macBound(port, mac));
    }

    List<OFMessage> bindAddress(MacAddress mac, InetAddress ip) {
        return bindAddress(mac, ip, true);
    }

    List<OFMessage> bindAddress(MacAddress mac, InetAddress ip, boolean publish) {
        Binding b = table.bindAddress(mac, ip);
        log.info("bound {} to {} on port {}", ip.getHostAddress(), mac, b.port());
        if (publish) {
            directory.publish(ip, mac);
        }
        return tell(l -> l.addressBound(b.port(), mac, ip));
    }

    List<OFMessage> unbindAddress(InetAddress ip) {
        Binding b = table.binding(ip);
        table.unbindAddress(ip);
        directory.withdraw(ip, b.mac());
        log.info("unbound {} from {} on port {}", ip.getHostAddress(), b.mac(), b.port());
        return tell(l -> l.addressUnbound(b.port(), b.mac(), ip));
    }

    List<OFMessage> unbindMac(MacAddress mac) {
        OFPort port = table.portOf(mac);
        List<OFMessage> out = new ArrayList<>();
        for (InetAddress ip : table.addresses(mac)) {
            out.addAll(unbindAddress(ip));
        }
        table.unbindMac(mac);
        log.info("unbound {} from port {}", mac, port);
        out.addAll(tell(l -> l.macUnbound(port, mac)));
        return out;
    }

    List<OFMessage> tell(Function<HostListener, List<OFMessage>> event) {
        List<OFMessage> out = new ArrayList<>();
        for (HostListener listener : listeners) {
            out.addAll(event.apply(listener));
        }
        return out;
    }
}
