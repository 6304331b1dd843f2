package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MulticastRunTest {
    private static final String HEAD = """
            Server listening on UDP port 5001
            Joining multicast group  239.1.1.1
            [  1] local 239.1.1.1 port 5001 connected with 10.77.1.1 port 34444
            [ ID] Interval       Transfer     Bandwidth        Jitter   Lost/Total Datagrams
            [  1] 0.0000-1.0000 sec   123 KBytes  1.01 Mbits/sec   8.413 ms 0/86 (0%)
            [  1] 1.0000-2.0000 sec   139 KBytes  1.14 Mbits/sec   2.646 ms 12/97 (12%)
            """;

    @Test
    void theFinalReportCountsWhenThereIsOne() {
        assertEquals(437, MulticastRun.received(HEAD + "[  1] 0.0000-4.9868 sec   645 KBytes  1.06 Mbits/sec   2.748 ms 12/449 (2.7%)\n"));
    }

    @Test
    void otherwiseTheIntervalsAreSummed() {
        assertEquals(86 + 85, MulticastRun.received(HEAD));
    }

    @Test
    void aUdpCounterIsReadByItsNameFromTheHeaderLine() {
        String snmp = """
                Ip: Forwarding DefaultTTL InReceives
                Ip: 2 64 13864
                Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
                Udp: 6492 0 59 3 59 0 0 0 0
                UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
                UdpLite: 0 0 0 0 7 0 0 0 0
                """;
        assertEquals(59, MulticastRun.udpCounter(snmp, "RcvbufErrors"));
        assertEquals(6492, MulticastRun.udpCounter(snmp, "InDatagrams"));
        assertEquals(0, MulticastRun.udpCounter(snmp, "NoSuchCounter"));
    }
}
