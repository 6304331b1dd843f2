package io.ringswitch.controller;

import static io.ringswitch.controller.TunnelSite.GW1;
import static io.ringswitch.controller.TunnelSite.GW2;
import static io.ringswitch.controller.TunnelSite.H1;
import static io.ringswitch.controller.TunnelSite.H2;
import static io.ringswitch.controller.TunnelSite.SITE;
import static io.ringswitch.controller.TunnelSite.VPN6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SwitchSettings.Ipv6Policy;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.packet.RouterAdvertisement;
import io.ringswitch.controller.packet.RouterAdvertisementCodec;
import io.ringswitch.controller.pipeline.FakeFlowTable.Output;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A full-tunnel client as its hosts' IPv6 router: what it advertises, to whom and when, and that the
 * router lifetime (the hosts' IPv6 default route) exists only while IPv6 is carried to a gateway
 * that carries it.
 */
class RouterAdvertisementTest {
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final IPv6Address A_LL = IPv6Address.of("fe80::a");
    /** fe80:: with the modified EUI-64 of 02:52:00:00:00:01 (U/L bit flipped, ff:fe inserted). */
    private static final IPv6Address ROUTER_LL = IPv6Address.of("fe80::52:ff:fe00:1");

    @Test
    void aHostGetsADefaultRouteOnlyWhileACarryingGatewayIsChosen() throws Exception {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);
        site.bridge.bind(H1, A);
        assertEquals(0, solicit(site).lifetimeSeconds(), "no gateway yet: no default router");
        List<Output> chosen = choose(site, GW1);
        assertEquals(List.of(H1, H2), chosen.stream().map(Output::port).sorted().toList(), "every host port is told at once");
        assertEquals(90, ra(chosen.get(0).frame()).lifetimeSeconds());
        assertEquals(90, solicit(site).lifetimeSeconds());
        List<Output> noIpv6 = choose(site, GW2);
        assertEquals(0, ra(noIpv6.get(0).frame()).lifetimeSeconds(), "a gateway without IPv6: the default route goes");
        assertEquals(List.of(), choose(site, null), "no gateway: the lifetime stays 0, nothing new to tell");
        assertEquals(0, solicit(site).lifetimeSeconds());
    }

    @Test
    void withIpv6DroppedNoHostEverGetsADefaultRoute() throws Exception {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.DROP);
        site.bridge.bind(H1, A);
        choose(site, GW1);
        assertEquals(0, solicit(site).lifetimeSeconds(), "ipv6: drop, even with a gateway that carries IPv6");
    }

    @Test
    void theAnswerComesFromTheSiteMacsLinkLocalAddressWithThePrefixAndMtu() throws Exception {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);
        site.bridge.bind(H1, A);
        Verdict v = site.bridge.feed(H1, Frames.routerSolicitation(A, A_LL, 255));
        assertEquals(List.of(H1), v.ports(), "answered to the solicitor's port only");
        RouterAdvertisement ra = ra(v.frameOut(H1));
        assertEquals(SITE, ra.router());
        assertEquals(ROUTER_LL, ra.src());
        assertEquals(A, ra.ethDst(), "unicast to the solicitor");
        assertEquals(A_LL, ra.dst());
        assertEquals(VPN6, ra.prefix(), "hosts form addresses in the VPN's IPv6 prefix");
        assertEquals(1400, ra.mtu(), "the overlay's MTU");
        assertEquals(1, site.counter("tunnel_router_solicitations"));
    }

    @Test
    void theRoutersLinkLocalAddressResolvesToTheSiteMacAsARouter() throws Exception {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);
        site.bridge.bind(H1, A);
        Verdict v = site.bridge.feed(H1, Frames.neighborSolicitation(A, A_LL, ROUTER_LL));
        assertEquals(List.of(H1), v.ports());
        NdMessage na = NdCodec.decode(v.frameOut(H1));
        assertEquals(NdMessage.ADVERTISEMENT, na.type());
        assertEquals(ROUTER_LL, na.target());
        assertEquals(SITE, na.linkLayer());
        assertEquals(A, na.ethDst());
        assertTrue((na.flags() & NdMessage.ROUTER) != 0, "the router flag, or hosts drop it as their router");
    }

    @Test
    void unsolicitedAdvertisementsGoEveryThirtySecondsToHostPortsOnly() throws Exception {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);
        choose(site, GW1);
        site.bridge.advanceMillis(10_000);
        assertEquals(List.of(), adverts(site.bridge.table.apply(site.bridge.pipeline.tick()).outputs()), "not yet due");
        site.bridge.advanceMillis(20_000);
        List<Output> out = adverts(site.bridge.table.apply(site.bridge.pipeline.tick()).outputs());
        assertEquals(List.of(H1, H2), out.stream().map(Output::port).sorted().toList(),
                "never the uplink, the node's port or the overlay");
        assertEquals(90, ra(out.get(0).frame()).lifetimeSeconds());
        assertEquals(IPv6Address.of("ff02::1"), ra(out.get(0).frame()).dst());
    }

    /** Attacker test: solicitations from off the link (hop limit below 255) or with a bad checksum get no answer. */
    @Test
    void aForgedSolicitationIsRefusedAndCounted() {
        TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);
        site.bridge.bind(H1, A);
        assertTrue(site.bridge.feed(H1, Frames.routerSolicitation(A, A_LL, 254)).ports().isEmpty(), "hop limit 254");
        byte[] bad = Frames.routerSolicitation(A, A_LL, 255);
        bad[14 + 40 + 2] ^= 0x55;
        assertTrue(site.bridge.feed(H1, bad).ports().isEmpty(), "bad checksum");
        assertEquals(2, site.counter("tunnel_router_malformed"));
        assertEquals(0, site.counter("tunnel_router_solicitations"));
    }

    @Test
    void theAdvertisementRoundTrips() throws Exception {
        RouterAdvertisement sent = new RouterAdvertisement(A, SITE, ROUTER_LL, A_LL, 90, 1360, VPN6);
        assertEquals(sent, RouterAdvertisementCodec.decodeAdvertisement(RouterAdvertisementCodec.encode(sent)));
        RouterAdvertisement bare = new RouterAdvertisement(A, SITE, ROUTER_LL, A_LL, 0, 0, null);
        assertEquals(bare, RouterAdvertisementCodec.decodeAdvertisement(RouterAdvertisementCodec.encode(bare)));
    }

    private static RouterAdvertisement solicit(TunnelSite site) throws MalformedPacketException {
        return ra(site.bridge.feed(H1, Frames.routerSolicitation(A, A_LL, 255)).frameOut(H1));
    }

    private static List<Output> choose(TunnelSite site, io.ringswitch.controller.api.GatewayDirectory.Gateway gateway) {
        site.gateways.choose(gateway);
        return adverts(site.bridge.settle());
    }

    /** The router advertisements among {@code outputs} (the multicast querier's queries leave host ports too). */
    private static List<Output> adverts(List<Output> outputs) {
        return outputs.stream().filter(o -> RouterAdvertisementCodec.is(o.frame(), RouterAdvertisementCodec.ADVERTISEMENT)).toList();
    }

    private static RouterAdvertisement ra(byte[] frame) throws MalformedPacketException {
        return RouterAdvertisementCodec.decodeAdvertisement(frame);
    }
}
