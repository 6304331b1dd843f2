package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SiteDirectory.Located;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.hosts.HostTable.Binding;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.HostBindings;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
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
 * bound. Accepted addresses are published; a port's removal unbinds and withdraws its hosts. The
 * listeners (port security, ARP/ND responder, L2 table) turn each binding into flows; on a switch
 * (re)connect each port's bindings are replayed to them when the port is listed again, so bindings
 * survive the reconnect. After a restart of the node, the hosts it bound before are bound again at
 * once and checked with the directory right after ({@link RememberedHosts}).
 */
public final class HostManager implements SwitchManager, HostBindings {
    private static final Logger log = LoggerFactory.getLogger(HostManager.class);
    /** Frames a claim holds while the directory answers (a host's first packets are not lost to its binding). */
    static final int HELD_PER_CLAIM = 32;
    /** Claims waiting at once: the packet-in meters bound the rate, this bounds the memory. */
    static final int MAX_PENDING = 1024;
    /** How long a claim waits for the directory before its slot and frames are given up. */
    static final long CLAIM_TIMEOUT_MILLIS = 10_000;
    /** How many addresses one MAC may claim: a host with a few IPv4 and IPv6 addresses, not a scanner. */
    static final int ADDRESSES_PER_MAC = 16;

    private final SwitchContext ctx;
    private final SiteDirectory directory;
    private final int macsPerPort;
    private final HostTable table = new HostTable();
    private final List<HostListener> listeners = new ArrayList<>();
    /** Claims waiting for the directory (a MAC or an address), each with the frames that came meanwhile. */
    private final HeldFrames pending = new HeldFrames(HELD_PER_CLAIM, MAX_PENDING, CLAIM_TIMEOUT_MILLIS);
    /** Address lookups started with their MAC's, for the claim that follows the MAC's binding. */
    private final EarlyLookups early = new EarlyLookups(MAX_PENDING, CLAIM_TIMEOUT_MILLIS);
    private final RememberedHosts remembered;
    private long addressConflicts;
    private long macConflicts;
    private long moves;
    private long malformed;
    private long expiryRounds;

    public HostManager(SwitchContext ctx, SiteDirectory directory, SwitchSettings settings) {
        this(ctx, directory, settings, BoundHostStore.none());
    }

    /** The same, binding the hosts {@code store} remembers at once after a restart, and saving the bindings there. */
    public HostManager(SwitchContext ctx, SiteDirectory directory, SwitchSettings settings, BoundHostStore store) {
        this.ctx = ctx;
        this.directory = directory;
        this.macsPerPort = settings.macsPerPort();
        this.remembered = new RememberedHosts(store, ctx.nowMillis());
        listeners.add(remembered);
    }

    /** Counters for the node's status. */
    public record Counters(long addressConflicts, long macConflicts, long moves, long malformed, long macsBound,
                           long addressesBound) {
    }

    public Counters stats() {
        return new Counters(addressConflicts, macConflicts, moves, malformed, table.macCount(), table.addressCount());
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("address_conflicts", addressConflicts, "mac_conflicts", macConflicts, "host_moves", moves,
                "host_frames_malformed", malformed, "macs_bound", (long) table.macCount(),
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
        early.expire(ctx.nowMillis());
        remembered.expire(ctx.nowMillis());
        if (pending.expire(ctx.nowMillis()) > 0 && Long.bitCount(++expiryRounds) == 1) {
            log.warn("gave up claims the directory did not answer within {} ms ({} so far)", CLAIM_TIMEOUT_MILLIS,
                    pending.timedOut());
        }
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
        if (frame.length < 14) {
            refuseMalformed(port, "frame of " + frame.length + " bytes");
            return List.of();
        }
        MacAddress src = MacAddress.of(Arrays.copyOfRange(frame, 6, 12));
        if (src.isMulticast() || src.equals(MacAddress.NONE) || ctx.trusted(port) || port.equals(ctx.overlayPort())) {
            return List.of();
        }
        OFPort owner = table.portOf(src);
        if (owner == null) {
            return claimMac(port, src, frame);
        }
        if (!owner.equals(port)) {
            macConflicts++;
            log.warn("refused MAC {} on port {}: it belongs to port {}", src, port, owner);
            return tell(l -> l.macRefused(port, src));
        }
        InetAddress ip;
        try {
            ip = ClaimedAddress.of(frame);
        } catch (MalformedPacketException e) {
            refuseMalformed(port, e.getMessage());
            return List.of();
        }
        return ip == null ? List.of() : claimAddress(port, src, ip, frame);
    }

    private List<OFMessage> claimMac(OFPort port, MacAddress mac, byte[] frame) {
        if (remembered.vouchesFor(port, mac, ctx.nowMillis()) && hasRoom(port)) {
            log.info("binding {} to port {} as before the restart; asking the directory again", mac, port);
            List<OFMessage> out = new ArrayList<>(bindMac(port, mac));
            directory.lookup(mac).whenComplete((located, error) -> ctx.execute(() ->
                    ctx.send(recheckedMac(port, mac, located, error))));
            out.addAll(reinject(port, List.of(frame)));
            return out;
        }
        if (!hasRoom(port) || !pending.hold(mac, frame, ctx.nowMillis())) {
            return List.of();
        }
        InetAddress ip = addressOrNull(frame);
        if (ip != null && table.binding(ip) == null) {
            early.start(ip, () -> directory.lookup(ip), ctx.nowMillis());
        }
        directory.lookup(mac).whenComplete((located, error) -> ctx.execute(() -> {
            List<byte[]> held = pending.release(mac);
            ctx.send(macLocated(port, mac, located, error, held));
        }));
        return List.of();
    }

    /** The address a frame claims, null when none or when the frame is malformed (refused when it comes back). */
    private static InetAddress addressOrNull(byte[] frame) {
        try {
            return ClaimedAddress.of(frame);
        } catch (MalformedPacketException e) {
            return null;
        }
    }

    private List<OFMessage> macLocated(OFPort port, MacAddress mac, Located located, Throwable error, List<byte[]> held) {
        if (port.equals(table.portOf(mac))) {
            return reinject(port, held);
        }
        if (!ctx.localPorts().contains(port) || table.portOf(mac) != null || !hasRoom(port)) {
            return List.of();
        }
        if (error != null) {
            log.warn("not binding {} on port {}: the directory failed ({})", mac, port, error.toString());
            return List.of();
        }
        if (located != null && !located.local()) {
            macConflicts++;
            log.warn("refused MAC {} on port {}: the directory places it at site {}", mac, port, located.site());
            return tell(l -> l.macRefused(port, mac));
        }
        List<OFMessage> out = new ArrayList<>(bindMac(port, mac));
        out.addAll(reinject(port, held));
        return out;
    }

    private List<OFMessage> claimAddress(OFPort port, MacAddress mac, InetAddress ip, byte[] frame) {
        Binding owner = table.binding(ip);
        if (owner != null) {
            if (!owner.mac().equals(mac)) {
                return conflict(port, mac, ip, owner.mac() + " on port " + owner.port());
            }
            // Punted before the flows of its binding reached the switch: it goes on now, not lost.
            return reinject(port, List.of(frame));
        }
        if (table.addresses(mac).size() >= ADDRESSES_PER_MAC) {
            addressConflicts++;
            log.warn("refused {} for {} on port {}: it has {} addresses already", ip.getHostAddress(), mac, port,
                    ADDRESSES_PER_MAC);
            return List.of();
        }
        if (remembered.vouchesFor(port, mac, ip, ctx.nowMillis())) {
            remembered.used(mac, ip);
            log.info("binding {} to {} on port {} as before the restart; published once the directory agrees",
                    ip.getHostAddress(), mac, port);
            List<OFMessage> out = new ArrayList<>(bindAddress(mac, ip, false));
            directory.lookup(ip).whenComplete((located, error) -> ctx.execute(() ->
                    ctx.send(recheckedAddress(port, mac, ip, located, error))));
            out.addAll(reinject(port, List.of(frame)));
            return out;
        }
        if (!pending.hold(ip, frame, ctx.nowMillis())) {
            return List.of();
        }
        CompletableFuture<Located> asked = early.take(ip);
        (asked != null ? asked : directory.lookup(ip)).whenComplete((located, error) -> ctx.execute(() -> {
            List<byte[]> held = pending.release(ip);
            ctx.send(addressLocated(port, mac, ip, located, error, held));
        }));
        return List.of();
    }

    private List<OFMessage> addressLocated(OFPort port, MacAddress mac, InetAddress ip, Located located,
                                           Throwable error, List<byte[]> held) {
        if (!port.equals(table.portOf(mac))) {
            return List.of();
        }
        Binding owner = table.binding(ip);
        if (owner != null) {
            return owner.mac().equals(mac) ? reinject(port, held)
                    : conflict(port, mac, ip, owner.mac() + " on port " + owner.port());
        }
        if (error != null) {
            log.warn("not binding {} to {} on port {}: the directory failed ({})", ip.getHostAddress(), mac, port,
                    error.toString());
            return List.of();
        }
        if (located != null && !(located.local() && located.mac().equals(mac))) {
            return conflict(port, mac, ip, located.mac() + " at site " + located.site());
        }
        List<OFMessage> out = new ArrayList<>(bindAddress(mac, ip));
        out.addAll(reinject(port, held));
        return out;
    }

    /** The directory's answer about a MAC bound from memory: kept if the directory agrees, else unbound and refused. */
    private List<OFMessage> recheckedMac(OFPort port, MacAddress mac, Located located, Throwable error) {
        if (!port.equals(table.portOf(mac)) || (error == null && (located == null || located.local()))) {
            return List.of();
        }
        remembered.forget(mac);
        if (error != null) {
            log.warn("unbound {} from port {}: the directory failed ({}); its next frame asks again", mac, port,
                    error.toString());
            return unbindMac(mac);
        }
        macConflicts++;
        log.warn("unbound {} from port {}, bound as before the restart: the directory places it at site {}", mac, port,
                located.site());
        List<OFMessage> out = new ArrayList<>(unbindMac(mac));
        out.addAll(tell(l -> l.macRefused(port, mac)));
        return out;
    }

    /** The directory's answer about an address bound from memory: published if the directory agrees, else unbound. */
    private List<OFMessage> recheckedAddress(OFPort port, MacAddress mac, InetAddress ip, Located located, Throwable error) {
        Binding owner = table.binding(ip);
        if (owner == null || !owner.mac().equals(mac)) {
            return List.of();
        }
        if (error == null && (located == null || (located.local() && located.mac().equals(mac)))) {
            directory.publish(ip, mac);
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>(unbindAddress(ip));
        if (error != null) {
            log.warn("unbound {} from {}: the directory failed ({}); its next frame asks again", ip.getHostAddress(), mac,
                    error.toString());
            return out;
        }
        out.addAll(conflict(port, mac, ip, located.mac() + " at site " + located.site()));
        return out;
    }

    private List<OFMessage> conflict(OFPort port, MacAddress mac, InetAddress ip, String owner) {
        addressConflicts++;
        log.warn("address conflict: port {} MAC {} claimed {}, which belongs to {}; refused", port, mac,
                ip.getHostAddress(), owner);
        return tell(l -> l.addressRefused(port, mac, ip));
    }

    private List<OFMessage> bindMac(OFPort port, MacAddress mac) {
        table.bindMac(port, mac);
        log.info("bound {} to port {}", mac, port);
        return tell(l -> l.macBound(port, mac));
    }

    private List<OFMessage> bindAddress(MacAddress mac, InetAddress ip) {
        return bindAddress(mac, ip, true);
    }

    private List<OFMessage> bindAddress(MacAddress mac, InetAddress ip, boolean publish) {
        Binding b = table.bindAddress(mac, ip);
        log.info("bound {} to {} on port {}", ip.getHostAddress(), mac, b.port());
        if (publish) {
            directory.publish(ip, mac);
        }
        return tell(l -> l.addressBound(b.port(), mac, ip));
    }

    private List<OFMessage> unbindAddress(InetAddress ip) {
        Binding b = table.binding(ip);
        table.unbindAddress(ip);
        directory.withdraw(ip, b.mac());
        log.info("unbound {} from {} on port {}", ip.getHostAddress(), b.mac(), b.port());
        return tell(l -> l.addressUnbound(b.port(), b.mac(), ip));
    }

    private List<OFMessage> unbindMac(MacAddress mac) {
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

    /**
     * The frames that waited for their binding go through the tables again, in order, after the
     * flows that now let them pass: a barrier keeps the switch from running them before those
     * (OpenFlow 1.3.5 §6.2).
     */
    private List<OFMessage> reinject(OFPort port, List<byte[]> held) {
        var of = ctx.factory();
        List<OFMessage> out = new ArrayList<>(held.size() + 1);
        out.add(of.barrierRequest());
        for (byte[] frame : held) {
            out.add(of.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(port)
                    .setActions(List.of(of.actions().output(OFPort.TABLE, 0))).setData(frame).build());
        }
        return out;
    }

    private List<OFMessage> tell(Function<HostListener, List<OFMessage>> event) {
        List<OFMessage> out = new ArrayList<>();
        for (HostListener listener : listeners) {
            out.addAll(event.apply(listener));
        }
        return out;
    }

    private void refuseMalformed(OFPort port, String reason) {
        if (Long.bitCount(++malformed) == 1) {
            log.warn("refused a malformed frame from port {}: {} ({} so far)", port, reason, malformed);
        }
    }
}
