package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** ARP suppression: what is answered here, what goes to the ring, and how fast. */
class ArpResponderTest {
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};
    private static final byte[] MAC_R = {2, 0, 0, 0, 0, 0x55};
    private static final int IP_A = 0x0a4d0101;
    private static final int IP_B = 0x0a4d0102;
    private static final int IP_R = 0x0a4d0201;
    private final Map<Integer, byte[]> published = new HashMap<>();
    private final Map<Integer, ArpResponder.Located> directory = new HashMap<>();
    private final List<Integer> lookups = new ArrayList<>();
    private final List<ByteBuf> toPort = new ArrayList<>();
    private long now = 1000;
    private final List<long[]> timerAt = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final Map<Integer, CompletableFuture<ArpResponder.Located>> slow = new HashMap<>();
    private final List<byte[]> broadcasts = new ArrayList<>();
    private final Scheduler scheduler = new Scheduler() {
        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            timerAt.add(new long[] {now + delayMillis});
            timers.add(task);
            return () -> { };
        }
    };
    private final ArpResponder arp = new ArpResponder(PooledByteBufAllocator.DEFAULT, scheduler, new ArpResponder.Directory() {
        @Override
        public void publish(int ip, byte[] mac) {
            published.put(ip, mac);
        }

        @Override
        public void withdraw(int ip) {
            published.remove(ip);
        }

        @Override
        public CompletableFuture<ArpResponder.Located> lookup(int ip) {
            lookups.add(ip);
            return slow.containsKey(ip) ? slow.get(ip) : CompletableFuture.completedFuture(directory.get(ip));
        }
    });

    {
        arp.connect(broadcasts::add);
    }

    /** Moves time on and runs the timers that are due. */
    private void advance(long millis) {
        now += millis;
        for (int i = 0; i < timers.size(); i++) {
            if (timerAt.get(i)[0] <= now) {
                timerAt.get(i)[0] = Long.MAX_VALUE;
                timers.get(i).run();
            }
        }
    }
    private final FrameForwarder.Port port = frame -> toPort.add(frame.copy());

    static ByteBuf arp(int op, byte[] senderMac, int senderIp, byte[] targetMac, int targetIp) {
        ByteBuf b = Unpooled.buffer(60);
        b.writeBytes(op == 1 ? new byte[] {-1, -1, -1, -1, -1, -1} : targetMac).writeBytes(senderMac).writeShort(0x0806);
        b.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(op);
        b.writeBytes(senderMac).writeInt(senderIp).writeBytes(targetMac).writeInt(targetIp);
        return b.writeZero(60 - b.writerIndex());
    }

    private static ByteBuf request(byte[] mac, int ip, int target) {
        return arp(1, mac, ip, new byte[6], target);
    }

    @Test
    void aKnownRemoteAddressIsAnsweredHereAsItsOwnerWould() {
        arp.fromSite(request(MAC_R, IP_R, IP_A));
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "answered, not broadcast");
        ByteBuf r = toPort.get(0);
        assertArrayEquals(MAC_A, bytes(r, 0, 6), "to the requester");
        assertArrayEquals(MAC_R, bytes(r, 6, 6), "from the target's MAC");
        assertEquals(2, r.getUnsignedShort(20), "a reply");
        assertArrayEquals(MAC_R, bytes(r, 22, 6));
        assertEquals(IP_R, r.getInt(28));
        assertArrayEquals(MAC_A, bytes(r, 32, 6));
        assertEquals(IP_A, r.getInt(38));
        assertEquals(1, arp.answered);
    }

    @Test
    void aMissWaitsForTheDirectoryAndIsAnsweredFromItWithoutTheRing() {
        directory.put(IP_R, new ArpResponder.Located(RingAddress.ofName("site2"), MAC_R));
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "taken: held for the directory");
        assertEquals(List.of(IP_R), lookups);
        assertEquals(1, toPort.size(), "answered from the directory");
        assertArrayEquals(MAC_R, bytes(toPort.get(0), 6, 6));
        assertTrue(broadcasts.isEmpty());
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "then from the cache");
        assertEquals(1, lookups.size());
        assertEquals(2, arp.answered);
    }

    @Test
    void whatTheDirectoryDoesNotKnowGoesOverTheRingAndLaterOnesAtOnce() {
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port));
        assertEquals(1, broadcasts.size(), "unknown to the directory: over the ring");
        assertFalse(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "known unknown: not held again for a while");
        advance(ArpResponder.UNKNOWN_MILLIS + 1);
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "asked again later");
        assertEquals(2, lookups.size());
    }

    @Test
    void aSlowDirectoryHoldsTheRequestNoLongerThanTheHoldTime() {
        slow.put(IP_R, new CompletableFuture<>());
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port));
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "a retry joins the held one");
        assertEquals(1, lookups.size());
        assertTrue(broadcasts.isEmpty());
        advance(ArpResponder.HOLD_MILLIS);
        assertEquals(2, broadcasts.size(), "both went over the ring when the hold ran out");
        slow.get(IP_R).complete(new ArpResponder.Located(RingAddress.ofName("site2"), MAC_R));
        assertTrue(toPort.isEmpty(), "nothing answered twice");
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_R), port), "the late answer is cached");
        assertEquals(1, toPort.size());
    }

    @Test
    void aRequestForAnotherHostOfThisSiteStaysOffTheRing() {
        arp.fromPort(request(MAC_B, IP_B, IP_R), port);
        assertTrue(arp.fromPort(request(MAC_A, IP_A, IP_B), port));
        assertTrue(toPort.isEmpty(), "the host answers itself over the bridge");
        assertEquals(1, arp.answeredHere);
    }

    @Test
    void localHostsArePublishedOnceAndAgainWhenTheirMacChanges() {
        arp.fromPort(request(MAC_A, IP_A, IP_R), port);
        arp.fromPort(request(MAC_A, IP_A, IP_R), port);
        assertArrayEquals(MAC_A, published.get(IP_A));
        arp.fromPort(arp(2, MAC_B, IP_A, MAC_R, IP_R), port);
        assertArrayEquals(MAC_B, published.get(IP_A), "gratuitous or not, the new MAC is published");
        arp.fromSite(request(MAC_R, IP_A, IP_R));
        assertFalse(published.containsKey(IP_A), "the address answered from another site: withdrawn here");
    }

    @Test
    void aFloodOfRequestsForUnknownAddressesIsRateLimitedBeforeTheRing() {
        for (int i = 0; i < 200; i++) {
            arp.fromPort(request(MAC_A, IP_A, 0x0a4d0300 + i), port);
        }
        assertEquals((int) ArpResponder.BROADCASTS_PER_SECOND, broadcasts.size(), "a burst of 20 goes out");
        assertEquals(180, arp.rateLimited);
        now += 1000;
        assertTrue(arp.mayBroadcast(), "and 20 more a second");
    }

    @Test
    void onlyIpv4ArpIsTaken() {
        assertTrue(ArpResponder.isArp(request(MAC_A, IP_A, IP_R)));
        ByteBuf shortFrame = request(MAC_A, IP_A, IP_R).writerIndex(30);
        assertFalse(ArpResponder.isArp(shortFrame));
        ByteBuf ipv6Arp = request(MAC_A, IP_A, IP_R);
        ipv6Arp.setShort(16, 0x86dd);
        assertFalse(ArpResponder.isArp(ipv6Arp));
    }

    private static byte[] bytes(ByteBuf b, int at, int n) {
        byte[] out = new byte[n];
        b.getBytes(at, out);
        return out;
    }
}
