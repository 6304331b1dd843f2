package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.arp.ArpNdResponder;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeFlowTable.Output;
import io.ringswitch.controller.pipeline.FakeFlowTable.PacketIn;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One site's bridge under test: the fake switch with ports 1-3 (hosts) and 9 (overlay), the host
 * manager, port security and the ARP/ND responder wired as the controller wires them, a directory
 * that answers at once, and stand-ins for the other managers' parts of the pipeline (PUNT's miss
 * goes on to L2_LOOKUP, which floods; a packet-in meter per port).
 */
final class HostsSite {
    static final OFPort P1 = OFPort.of(1);
    static final OFPort P2 = OFPort.of(2);
    static final OFPort P3 = OFPort.of(3);
    static final OFPort OVERLAY = OFPort.of(9);

    final FakeDirectory directory = new FakeDirectory();
    final FakeSwitchContext base = new FakeSwitchContext().overlayPort(OVERLAY).localPort(P1).localPort(P2).localPort(P3);
    final List<Verdict> late = new ArrayList<>();
    final SwitchContext ctx = new SwitchContext() {
        @Override
        public OFFactory factory() {
            return base.factory();
        }

        @Override
        public OFPort overlayPort() {
            return base.overlayPort();
        }

        @Override
        public Set<OFPort> localPorts() {
            return base.localPorts();
        }

        @Override
        public boolean trusted(OFPort port) {
            return base.trusted(port);
        }

        @Override
        public long nowMillis() {
            return base.nowMillis();
        }

        @Override
        public void send(List<OFMessage> messages) {
            late.add(table.apply(messages));
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }
    };
    final HostManager hosts;
    final PortSecurity portSecurity;
    final ArpNdResponder arp;
    final List<SwitchManager> managers;
    FakeFlowTable table;

    HostsSite() {
        this(BoundHostStore.none());
    }

    /** A site whose controller was restarted: {@code store} holds what it bound before. */
    HostsSite(BoundHostStore store) {
        hosts = new HostManager(ctx, directory, SwitchSettings.defaults(), store);
        portSecurity = new PortSecurity(ctx, hosts);
        arp = new ArpNdResponder(ctx, directory);
        managers = List.of(hosts, portSecurity, arp);
        hosts.addListener(arp);
        connect();
    }

    /** A new, empty switch connects (or the old one reconnects with empty tables) and lists its ports. */
    void connect() {
        table = new FakeFlowTable(base::nowMillis, P1, P2, P3, OVERLAY);
        OFFactory of = base.factory();
        Flows pipeline = new Flows(of, Cookies.PIPELINE);
        table.apply(pipeline.add(Tables.PUNT, 0, of.buildMatch().build(), List.of(), Tables.L2_LOOKUP));
        table.apply(pipeline.add(Tables.L2_LOOKUP, 0, of.buildMatch().build(), List.of(pipeline.output(OFPort.FLOOD)), null));
        table.apply(FloodGroup.add(of, Set.of(P1, P2, P3), OVERLAY));
        for (OFPort p : List.of(P1, P2, P3)) {
            table.apply(of.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(Meters.packetIn(p))
                    .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                    .setMeters(List.of(of.meterBands().buildDrop().setRate(1000).setBurstSize(1000).build())).build());
        }
        for (SwitchManager m : managers) {
            table.apply(m.switchReady());
        }
        for (OFPort p : List.of(P1, P2, P3, OVERLAY)) {
            for (SwitchManager m : managers) {
                table.apply(m.portAdded(new SwitchPort(p, "p" + p.getPortNumber(), p.equals(OVERLAY), false)));
            }
        }
    }

    /** Applies what a manager returned, as the channel would send it. */
    Verdict apply(List<OFMessage> messages) {
        return handle(table.apply(messages), 0);
    }

    /** A frame enters {@code port}: everything that comes out of the switch, packet-ins answered by the managers. */
    Verdict send(OFPort port, byte[] frame) {
        return handle(table.process(port, frame), 0);
    }

    void removePort(OFPort port) {
        base.removeLocalPort(port);
        table.portDeleted(port);
        for (SwitchManager m : managers) {
            apply(m.portRemoved(new SwitchPort(port, "p" + port.getPortNumber(), false, false)));
        }
    }

    private Verdict handle(Verdict verdict, int depth) {
        if (depth > 8) {
            throw new AssertionError("packet-ins loop: " + verdict);
        }
        List<Output> outputs = new ArrayList<>(verdict.outputs());
        List<PacketIn> packetIns = new ArrayList<>(verdict.packetIns());
        for (PacketIn in : verdict.packetIns()) {
            SwitchManager manager = managers.stream().filter(m -> m.cookie().equals(in.cookie())).findFirst()
                    .orElseThrow(() -> new AssertionError("packet-in with cookie " + in.cookie()));
            List<Verdict> results = new ArrayList<>();
            results.add(table.apply(manager.packetIn(in.inPort(), in.frame())));
            results.addAll(late);
            late.clear();
            for (Verdict v : results) {
                Verdict handled = handle(v, depth + 1);
                outputs.addAll(handled.outputs());
                packetIns.addAll(handled.packetIns());
            }
        }
        return new Verdict(outputs, packetIns);
    }
}
