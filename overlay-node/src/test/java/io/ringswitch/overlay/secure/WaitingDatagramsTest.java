package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What waits for sessions stays within its bounds per peer and for all peers, the oldest leaving first. */
class WaitingDatagramsTest {
    private final WaitingDatagrams waiting = new WaitingDatagrams();
    private final InetSocketAddress to = new InetSocketAddress("10.0.0.2", 5800);

    private DatagramPacket packet(int bytes, int mark) {
        ByteBuf b = Unpooled.buffer(bytes).writeInt(mark);
        return new DatagramPacket(b.writerIndex(bytes), to);
    }

    @Test
    void aSecondOfAStreamWaitsWholeAndLeavesInOrder() {
        Peer p = new Peer();
        int dropped = 0;
        for (int i = 0; i < 1800; i++) {
            dropped += waiting.add(p, packet(1374, i));
        }
        assertEquals(0, dropped);
        List<Object> out = waiting.drain(p);
        assertEquals(1800, out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, ((DatagramPacket) out.get(i)).content().getInt(0));
        }
        assertEquals(0, waiting.bytes(), "nothing counted once drained");
    }

    @Test
    void aPeerPastItsBoundsLosesItsOldestAndAllPeersStayWithinTheTotal() {
        Peer one = new Peer();
        int dropped = 0;
        for (int i = 0; i < 3 * WaitingDatagrams.PER_PEER; i++) {
            dropped += waiting.add(one, packet(1374, i));
        }
        assertTrue(one.queue.size() <= WaitingDatagrams.PER_PEER);
        assertTrue(one.queuedBytes <= WaitingDatagrams.PER_PEER_BYTES);
        assertEquals(3 * WaitingDatagrams.PER_PEER, dropped + one.queue.size(), "every datagram waits or is counted");
        assertEquals(3 * WaitingDatagrams.PER_PEER - 1, ((DatagramPacket) one.queue.peekLast()).content().getInt(0),
                "the newest stays");
        List<Peer> many = new ArrayList<>();
        for (int n = 0; n < 10; n++) {
            Peer p = new Peer();
            many.add(p);
            for (int i = 0; i < 1000; i++) {
                waiting.add(p, packet(1374, i));
            }
        }
        assertTrue(waiting.bytes() <= WaitingDatagrams.TOTAL_BYTES, waiting.bytes() + " bytes wait");
        many.forEach(waiting::drain);
        waiting.drain(one);
        assertEquals(0, waiting.bytes());
    }
}
