package io.ringswitch.controller;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.arp.ArpNdResponder;
import io.ringswitch.controller.dhcp.DhcpManager;
import io.ringswitch.controller.dns.DnsResponder;
import io.ringswitch.controller.forwarding.ForwardingManager;
import io.ringswitch.controller.hosts.HostListener;
import io.ringswitch.controller.hosts.HostManager;
import io.ringswitch.controller.hosts.L2TableFeed;
import io.ringswitch.controller.hosts.PortSecurity;
import io.ringswitch.controller.multicast.MulticastManager;
import io.ringswitch.controller.mtu.TooBigManager;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.storm.StormControl;
import io.ringswitch.controller.tunnel.TunnelManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The one place that builds a switch's managers and wires them to each other. Order matters twice:
 * managers are told of a new connection and of ports in this order (storm control first, so that the
 * meters exist before any flow uses them), and a manager that another one calls is built before it.
 */
final class SwitchManagers {
    private SwitchManagers() {
    }

    static List<SwitchManager> build(SwitchContext context, ControllerConfig config, OverlayServices overlay) {
        List<SwitchManager> managers = new ArrayList<>();
        StormControl storm = new StormControl(context, config.switching().storm());
        ForwardingManager forwarding = new ForwardingManager(context, overlay.directory());
        managers.add(storm);
        managers.add(forwarding);
        managers.add(new TooBigManager(context, config.switching().overlayMtu()));
        HostManager hosts = new HostManager(context, overlay.directory(), config.switching(), overlay.boundHosts());
        PortSecurity portSecurity = new PortSecurity(context, hosts);
        ArpNdResponder arp = new ArpNdResponder(context, overlay.directory());
        hosts.addListener(arp);
        hosts.addListener(new L2TableFeed(forwarding));
        managers.add(hosts);
        managers.add(portSecurity);
        managers.add(arp);
        DhcpManager dhcp = new DhcpManager(context, config.switching(), overlay.pool(), hosts, overlay.names());
        // A static address inside the pool, announced by a host that did not lease it: a conflict the server reports.
        hosts.addListener(new HostListener() {
            @Override
            public List<OFMessage> addressBound(OFPort port, MacAddress mac, InetAddress ip) {
                if (ip instanceof Inet4Address v4) {
                    dhcp.addressSeen(mac, IPv4Address.of(v4));
                }
                return List.of();
            }
        });
        managers.add(dhcp);
        managers.add(new MulticastManager(context, config.switching(), overlay.groups()));
        TunnelManager tunnel = new TunnelManager(context, config.switching(), overlay.gateways(), overlay.directory());
        hosts.addListener(tunnel);
        managers.add(tunnel);
        if (config.switching().tunnel().full()) {
            managers.add(new DnsResponder(context, config.switching(), overlay.names(), tunnel::gateway));
        }
        return managers;
    }
}
