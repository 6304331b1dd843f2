package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PingTest {

    @Test
    void aLateReplyWithinTheDeadlineCounts() {
        // Seen in a fresh six-site lab: the third reply came 240 ms after its request; ping -c
        // without a deadline had stopped waiting after twice the longest round trip (80 ms).
        String out = """
                PING 10.77.6.1 (10.77.6.1) 56(84) bytes of data.
                64 bytes from 10.77.6.1: icmp_seq=1 ttl=64 time=40.2 ms
                64 bytes from 10.77.6.1: icmp_seq=2 ttl=64 time=5.70 ms
                64 bytes from 10.77.6.1: icmp_seq=3 ttl=64 time=240 ms

                --- 10.77.6.1 ping statistics ---
                3 packets transmitted, 3 received, 0% packet loss, time 201ms
                rtt min/avg/max/mdev = 5.700/95.300/240.000/100.000 ms
                """;
        Ping ping = Ping.ofReplies(out, 3);
        assertTrue(ping.lossless(), ping.toString());
        assertEquals(95.3, ping.rttAvgMs(), 0.01);
    }

    @Test
    void requestsSentWhileOneWasMissingAndDuplicatesDoNotCount() {
        String out = """
                64 bytes from 10.77.2.1: icmp_seq=1 ttl=64 time=1.00 ms
                64 bytes from 10.77.2.1: icmp_seq=1 ttl=64 time=1.50 ms (DUP!)
                64 bytes from 10.77.2.1: icmp_seq=3 ttl=64 time=3.00 ms
                64 bytes from 10.77.2.1: icmp_seq=4 ttl=64 time=4.00 ms
                64 bytes from 10.77.2.1: icmp_seq=5 ttl=64 time=5.00 ms

                --- 10.77.2.1 ping statistics ---
                31 packets transmitted, 4 received, +1 duplicates, 87% packet loss, time 3002ms
                """;
        Ping ping = Ping.ofReplies(out, 3);
        assertEquals(new Ping(3, 2, 2.0), ping);
        assertFalse(ping.lossless());
    }

    @Test
    void nothingBackIsNoReply() {
        Ping ping = Ping.ofReplies("1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms", 3);
        assertEquals(1, ping.sent());
        assertEquals(0, ping.received());
        assertTrue(Double.isNaN(ping.rttAvgMs()));
    }
}
