package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SiteDirectory.Located;
import io.ringswitch.controller.hosts.HostTable.Binding;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.pipeline.SwitchContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the frames port security punts from a source it does not know (a new MAC on an untrusted
 * port, an ARP, IPv4 or ND sender address not bound yet) into bindings of the {@link HostManager},
 * once the site directory agrees: a MAC or address the directory places at another site, or that
 * another local host owns, is refused (counted, logged) and never bound. The frames a claim brings
 * wait while the directory answers and are re-injected after the binding's flows. A host
 * {@link RememberedHosts} vouches for after a restart is bound at once and checked with the
 * directory right after. This class decides; the host manager keeps the table and tells the
 * listeners and the directory about each binding.
 */
final class SourceClaims {
    private static final Logger log = LoggerFactory.getLogger(SourceClaims.class);
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
    private final HostManager hosts;
    private final HostTable table;
    private final RememberedHosts remembered;
    /** Claims waiting for the directory (a MAC or an address), each with the frames that came meanwhile. */
    private final HeldFrames pending = new HeldFrames(HELD_PER_CLAIM, MAX_PENDING, CLAIM_TIMEOUT_MILLIS);
    /** Address lookups started with their MAC's, for the claim that follows the MAC's binding. */
    private final EarlyLookups early = new EarlyLookups(MAX_PENDING, CLAIM_TIMEOUT_MILLIS);
    private long addressConflicts;
    private long macConflicts;
    private long malformed;
    private long expiryRounds;

    /** Claims for {@code hosts}, whose bindings are {@code table}; {@code remembered} vouches for hosts after a restart. */
    SourceClaims(SwitchContext ctx, SiteDirectory directory, HostManager hosts, HostTable table,
                 RememberedHosts remembered) {
        this.ctx = ctx;
        this.directory = directory;
        this.hosts = hosts;
        this.table = table;
        this.remembered = remembered;
    }

    long addressConflicts() {
        return addressConflicts;
    }

    long macConflicts() {
        return macConflicts;
    }

    long malformed() {
        return malformed;
    }

    /** The claims waiting for the directory, with their held frames (their counters for the node's status). */
    HeldFrames pending() {
        return pending;
    }

    /** Gives up claims the directory has not answered in time (a lost lookup must not hold its slot for good). */
    void tick() {
        early.expire(ctx.nowMillis());
        remembered.expire(ctx.nowMillis());
        if (pending.expire(ctx.nowMillis()) > 0 && Long.bitCount(++expiryRounds) == 1) {
            log.warn("gave up claims the directory did not answer within {} ms ({} so far)", CLAIM_TIMEOUT_MILLIS,
                    pending.timedOut());
        }
    }

    /**
     * A frame that port security sent here because it does not know its source MAC on {@code port},
     * or its sender address: bind the source if the directory and the local bindings allow it, then
     * re-inject the frame. The answer comes later (through {@link SwitchContext#send}).
     */
    List<OFMessage> sourceSeen(OFPort port, byte[] frame) {
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
            return hosts.tell(l -> l.macRefused(port, src));
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
        if (remembered.vouchesFor(port, mac, ctx.nowMillis()) && hosts.hasRoom(port)) {
            log.info("binding {} to port {} as before the restart; asking the directory again", mac, port);
            List<OFMessage> out = new ArrayList<>(hosts.bindMac(port, mac));
            directory.lookup(mac).whenComplete((located, error) -> ctx.execute(() ->
                    ctx.send(recheckedMac(port, mac, located, error))));
            out.addAll(reinject(port, List.of(frame)));
            return out;
        }
        if (!hosts.hasRoom(port) || !pending.hold(mac, frame, ctx.nowMillis())) {
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
        if (!ctx.localPorts().contains(port) || table.portOf(mac) != null || !hosts.hasRoom(port)) {
            return List.of();
        }
        if (error != null) {
            log.warn("not binding {} on port {}: the directory failed ({})", mac, port, error.toString());
            return List.of();
        }
        if (located != null && !located.local()) {
            macConflicts++;
            log.warn("refused MAC {} on port {}: the directory places it at site {}", mac, port, located.site());
            return hosts.tell(l -> l.macRefused(port, mac));
        }
        List<OFMessage> out = new ArrayList<>(hosts.bindMac(port, mac));
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
            List<OFMessage> out = new ArrayList<>(hosts.bindAddress(mac, ip, false));
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
        List<OFMessage> out = new ArrayList<>(hosts.bindAddress(mac, ip));
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
            return hosts.unbindMac(mac);
        }
        macConflicts++;
        log.warn("unbound {} from port {}, bound as before the restart: the directory places it at site {}", mac, port,
                located.site());
        List<OFMessage> out = new ArrayList<>(hosts.unbindMac(mac));
        out.addAll(hosts.tell(l -> l.macRefused(port, mac)));
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
        List<OFMessage> out = new ArrayList<>(hosts.unbindAddress(ip));
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
        return hosts.tell(l -> l.addressRefused(port, mac, ip));
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

    private void refuseMalformed(OFPort port, String reason) {
        if (Long.bitCount(++malformed) == 1) {
            log.warn("refused a malformed frame from port {}: {} ({} so far)", port, reason, malformed);
        }
    }
}
