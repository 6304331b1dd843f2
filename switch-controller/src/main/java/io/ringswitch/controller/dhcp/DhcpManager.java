package io.ringswitch.controller.dhcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.controller.api.NameDirectory;
import io.ringswitch.controller.api.DhcpStats;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.HostBindings;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCP on the bridge: client messages from local ports reach the controller and no host; the
 * site's {@link DhcpServer} answers them by PACKET_OUT out of the asking port only; granted
 * leases bind their hosts ({@link HostBindings}). Nothing DHCP crosses the ring, and server
 * replies from untrusted ports (a rogue server) are dropped and counted. Without DHCP settings
 * only those two drops are installed. The flows are listed in {@link DhcpFlows}.
 */
public final class DhcpManager implements SwitchManager {
    private static final Logger log = LoggerFactory.getLogger(DhcpManager.class);

    private final SwitchContext ctx;
    private final HostBindings hosts;
    private final LeaseNames names;
    private final DhcpFlows flows;
    /** The server, or null when this site runs none. */
    private final DhcpServer server;
    /** What the server decided while handling the current call, sent when it returns. */
    private final List<OFMessage> pending = new ArrayList<>();
    /** Whether a call of the switch is under way: what the server decides then is returned by it, not sent. */
    private boolean inCall;
    private long rogueServers;

    /** A DHCP manager whose clients' host names are published nowhere. */
    public DhcpManager(SwitchContext ctx, SwitchSettings settings, AddressPool pool, HostBindings hosts) {
        this(ctx, settings, pool, hosts, NameDirectory.none("ringswitch"));
    }

    /** Publishes the host names of acknowledged leases (option 12) in {@code names} while the lease lasts. */
    public DhcpManager(SwitchContext ctx, SwitchSettings settings, AddressPool pool, HostBindings hosts, NameDirectory names) {
        this.ctx = ctx;
        this.hosts = hosts;
        this.names = new LeaseNames(names);
        SwitchSettings.Dhcp dhcp = settings.dhcp();
        this.flows = new DhcpFlows(new Flows(ctx.factory(), Cookies.DHCP), settings.siteMac(),
                dhcp == null ? null : IPv4Address.of(dhcp.server()));
        Executor hop = task -> ctx.execute(() -> {
            task.run();
            flush();
        });
        this.server = dhcp == null ? null
                : new DhcpServer(dhcp, settings.siteMac().getBytes(), settings.overlayMtu(), ctx::nowMillis, pool, hop,
                        new Outcomes());
        if (dhcp != null) {
            log.info("DHCP: answering as {} with leases from {} to {} ({} s), shared by every site",
                    DhcpFrames.format(dhcp.server()), DhcpFrames.format(dhcp.poolFirst()),
                    DhcpFrames.format(dhcp.poolLast()), dhcp.leaseSeconds());
        }
    }

    @Override
    public U64 cookie() {
        return Cookies.DHCP;
    }

    @Override
    public List<OFMessage> switchReady() {
        List<OFMessage> out = new ArrayList<>(flows.base());
        OFPort overlay = ctx.overlayPort();
        if (overlay != null) {
            out.addAll(flows.port(overlay, true, false));
        }
        for (OFPort port : ctx.localPorts()) {
            out.addAll(flows.port(port, false, ctx.trusted(port)));
        }
        return out;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        return flows.port(port.number(), port.overlay(), port.trusted());
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        return List.of(flows.portGone(port.number()));
    }

    /** A client's message (UDP to 67) to answer, or a server reply from an untrusted port to count. */
    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        if (DhcpFrames.isServerReply(buf, 0)) {
            if (!ctx.trusted(inPort)) {
                rogueServer(inPort, buf);
            }
            return List.of();
        }
        if (server != null && !inPort.equals(ctx.overlayPort())) {
            inCall = true;
            try {
                server.take(inPort, buf);
            } finally {
                inCall = false;
            }
        }
        return drain();
    }

    private void rogueServer(OFPort port, ByteBuf frame) {
        rogueServers++;
        if (Long.bitCount(rogueServers) == 1) {
            log.warn("dropped a DHCP server reply from untrusted port {} (from {}): a rogue DHCP server ({} so far)",
                    port, MacAddress.of(frame.getLong(6) >>> 16), rogueServers);
        }
    }

    /** Ends the leases whose clients stopped renewing (unbinding their hosts). */
    @Override
    public List<OFMessage> tick() {
        if (server != null) {
            inCall = true;
            try {
                server.expire();
            } finally {
                inCall = false;
            }
        }
        return drain();
    }

    /**
     * A host announced {@code ip} (an ARP the hosts manager accepted): reported as a conflict when
     * the address is leased to another client.
     */
    public void addressSeen(MacAddress mac, IPv4Address ip) {
        if (server != null) {
            server.addressSeen(ip.getInt(), mac.getBytes());
        }
    }

    /** The server's counters and leases, for the node's status. */
    public DhcpStats stats() {
        return server == null ? DhcpStats.off(rogueServers) : server.stats(rogueServers);
    }

    /** Host names published for leases, and host names refused as DNS labels. */
    @Override
    public Map<String, Long> counters() {
        return Map.of("dhcp_names_published", (long) names.size(), "dhcp_names_refused", names.refused());
    }

    private List<OFMessage> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<OFMessage> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    /** Sends what a late pool answer made the server decide (an answer during a call is returned by it). */
    private void flush() {
        if (inCall) {
            return;
        }
        List<OFMessage> out = drain();
        if (!out.isEmpty()) {
            ctx.send(out);
        }
    }

    /** The server's decisions as OpenFlow: a PACKET_OUT out of the asking port, the hosts manager's bindings. */
    private final class Outcomes implements DhcpServer.Outcomes {
        @Override
        public void reply(OFPort port, byte[] frame) {
            pending.add(ctx.factory().buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                    .setActions(List.of(ctx.factory().actions().output(port, 0))).setData(frame).build());
        }

        @Override
        public void leased(OFPort port, byte[] mac, int ip) {
            pending.addAll(hosts.leased(port, MacAddress.of(mac), IPv4Address.of(ip).toInetAddress()));
        }

        @Override
        public void leaseEnded(OFPort port, byte[] mac, int ip) {
            names.ended(ip);
            pending.addAll(hosts.leaseEnded(port, MacAddress.of(mac), IPv4Address.of(ip).toInetAddress()));
        }

        @Override
        public void named(int ip, byte[] hostName) {
            names.named(ip, hostName);
        }
    }
}
