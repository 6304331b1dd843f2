package io.ringswitch.controller;

import static io.ringswitch.controller.TunnelSite.GW1;
import static io.ringswitch.controller.TunnelSite.H1;
import static io.ringswitch.controller.TunnelSite.INFRASTRUCTURE;
import static io.ringswitch.controller.TunnelSite.OVERLAY;
import static io.ringswitch.controller.TunnelSite.ROUTER;
import static io.ringswitch.controller.TunnelSite.SITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SwitchSettings.Ipv6Policy;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** The site's DNS address on a full-tunnel client: group names answered here, the rest through the tunnel, nothing leaked. */
class DnsBehaviourTest {
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final int A_TYPE = 1;
    private static final int AAAA = 28;

    private final TunnelSite site = new TunnelSite(false, Ipv6Policy.DROP);

    /** A query (RFC 1035 §4.1) for {@code name} of {@code type}, id 0x1234, RD set. */
    static byte[] query(String name, int type) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            b.write(label.length());
            b.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
        b.writeBytes(new byte[] {0, (byte) type, 0, 1});
        return b.toByteArray();
    }

    private Verdict ask(IPv4Address from, byte[] message) {
        site.bridge.advanceMillis(1000);
        return site.bridge.feed(H1, Frames.udp(A, SITE, from, ROUTER, 40000, 53, message));
    }

    private static int rcode(byte[] frame) {
        return Frames.udpPayload(frame)[3] & 0xf;
    }

    private static int answers(byte[] frame) {
        byte[] m = Frames.udpPayload(frame);
        return (m[6] & 0xff) << 8 | (m[7] & 0xff);
    }

    /** The answer comes back to the asking host from the router's address and the site MAC, checksums right. */
    private static byte[] fromRouter(Verdict v, IPv4Address host) {
        assertEquals(List.of(H1), v.ports());
        byte[] reply = v.frameOut(H1);
        assertEquals(SITE, Frames.ethSrc(reply));
        assertEquals(A, Frames.ethDst(reply));
        assertEquals(ROUTER, Frames.ipSrc(reply));
        assertEquals(host, Frames.ipDst(reply));
        assertTrue(Frames.checksumsHold(reply));
        return reply;
    }

    @Test
    void aNameOfTheGroupIsAnsweredFromTheNameDirectory() throws Exception {
        IPv4Address ip = site.lease(H1, A, null);
        IPv4Address bob = site.lease(OFPort.of(2), B, "Bob");
        assertEquals(List.of(bob.toInetAddress()), site.names.names.get("bob"), "DHCP host name published, lower case");
        byte[] reply = fromRouter(ask(ip, query("BOB.Lab.Example", A_TYPE)), ip);
        assertEquals(0, rcode(reply));
        assertEquals(1, answers(reply));
        byte[] m = Frames.udpPayload(reply);
        assertArrayEquals(bob.getBytes(), Arrays.copyOfRange(m, m.length - 4, m.length));
        assertEquals(0, answers(fromRouter(ask(ip, query("bob.lab.example", AAAA)), ip)), "AAAA of an IPv4-only name: NOERROR, no answer");
        assertEquals(0, rcode(fromRouter(ask(ip, query("bob.lab.example", AAAA)), ip)));
        assertEquals(3, rcode(fromRouter(ask(ip, query("carol.lab.example", A_TYPE)), ip)), "an unknown group name: NXDOMAIN");
        assertEquals(3, rcode(fromRouter(ask(ip, query("x.bob.lab.example", A_TYPE)), ip)), "deeper names under the domain: NXDOMAIN");
        assertEquals(3, site.counter("dns_answered_local"), "bob: A once, AAAA twice");
        assertEquals(2, site.counter("dns_nxdomain"));
    }

    @Test
    void aDhcpHostNameThatIsNoDnsLabelIsNotPublishedAndTheNameGoesWithTheLease() {
        site.lease(H1, A, "evil.name\u0000");
        assertTrue(site.names.names.isEmpty());
        assertEquals(1, site.counter("dhcp_names_refused"));
        site.lease(OFPort.of(2), B, "b".repeat(64));
        assertTrue(site.names.names.isEmpty(), "64 characters: longer than a label");
        assertEquals(2, site.counter("dhcp_names_refused"));
    }

    @Test
    void anyOtherNameGoesToTheGatewayThroughTheTunnelAndItsReplyComesFromTheRouter() {
        site.choose(GW1);
        IPv4Address ip = site.lease(H1, A, null);
        byte[] question = query("www.example.com", A_TYPE);
        Verdict v = ask(ip, question);
        assertEquals(List.of(OVERLAY), v.ports(), "forwarded into the overlay only");
        byte[] forwarded = v.frameOut(OVERLAY);
        assertEquals(GW1.mac(), Frames.ethDst(forwarded));
        assertEquals(IPv4Address.of(GW1.address()), Frames.ipDst(forwarded));
        assertEquals(ip, Frames.ipSrc(forwarded));
        assertTrue(Frames.checksumsHold(forwarded), "checksums fixed after re-addressing");
        assertArrayEquals(question, Frames.udpPayload(forwarded));
        byte[] answer = question.clone();
        answer[2] = (byte) 0x81;
        answer[3] = (byte) 0x80;
        Verdict back = site.bridge.feed(OVERLAY, Frames.udp(GW1.mac(), A, IPv4Address.of(GW1.address()), ip, 53, 40000, answer));
        byte[] reply = fromRouter(back, ip);
        assertArrayEquals(answer, Frames.udpPayload(reply));
        assertEquals(1, site.counter("dns_forwarded"));
    }

    @Test
    void withoutAGatewayTheAnswerIsServfailAndNothingLeaves() {
        IPv4Address ip = site.lease(H1, A, null);
        Verdict v = ask(ip, query("www.example.com", A_TYPE));
        byte[] reply = fromRouter(v, ip);
        assertEquals(2, rcode(reply));
        assertEquals(1, site.counter("dns_servfail"));
        for (OFPort port : INFRASTRUCTURE) {
            assertFalse(v.ports().contains(port));
        }
    }

    /** Attacker test: queries built to break the parser are counted and answered with nothing. */
    @Test
    void malformedQueriesAreCountedAndAnsweredWithNothing() {
        site.choose(GW1);
        IPv4Address ip = site.lease(H1, A, null);
        byte[] truncated = Arrays.copyOf(query("www.example.com", A_TYPE), 20);
        byte[] pointerLoop = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        ByteArrayOutputStream longName = new ByteArrayOutputStream();
        longName.writeBytes(new byte[] {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < 5; i++) {
            longName.write(60);
            longName.writeBytes("a".repeat(60).getBytes(StandardCharsets.US_ASCII));
        }
        longName.writeBytes(new byte[] {0, 0, 1, 0, 1});
        byte[] labelPastEnd = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b'};
        byte[] response = query("www.example.com", A_TYPE);
        response[2] |= (byte) 0x80;
        byte[] twoQuestions = query("www.example.com", A_TYPE);
        twoQuestions[5] = 2;
        List<byte[]> bad = List.of(new byte[5], truncated, pointerLoop, longName.toByteArray(), labelPastEnd, response, twoQuestions);
        for (byte[] message : bad) {
            Verdict v = ask(ip, message);
            assertTrue(v.ports().isEmpty(), "no answer, nothing forwarded: " + v.ports());
        }
        assertEquals(bad.size(), site.counter("dns_malformed"));
        assertEquals(0, site.counter("dns_forwarded"));
    }

    @Test
    void aLookupForAHostWithOnlyAnIpv6AddressAnswersAaaa() throws Exception {
        IPv4Address ip = site.lease(H1, A, null);
        InetAddress v6 = InetAddress.getByName("2001:db8::b");
        site.names.publish("six", v6);
        byte[] reply = fromRouter(ask(ip, query("six.lab.example", AAAA)), ip);
        assertEquals(1, answers(reply));
        byte[] m = Frames.udpPayload(reply);
        assertArrayEquals(v6.getAddress(), Arrays.copyOfRange(m, m.length - 16, m.length));
    }
}
