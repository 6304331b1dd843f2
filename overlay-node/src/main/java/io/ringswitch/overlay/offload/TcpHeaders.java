package io.ringswitch.overlay.offload;

import io.netty.buffer.ByteBuf;

/**
 * Where the headers of a TCP frame sit (Ethernet, an optional 802.1Q tag, IPv4 without or with
 * options or IPv6 without extension headers, TCP): the parse both segmentation and coalescing
 * need. Offsets are from the start of the frame.
 */
record TcpHeaders(int l3, boolean ipv6, int l4, int tcpHeaderLength) {
    static final int PROTO_TCP = 6;
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;
    static final int CWR = 0x80;

    /** Headers and payload start; everything before {@link #payload()} is copied into every segment. */
    int payload() {
        return l4 + tcpHeaderLength;
    }

    /** The headers of the frame at {@code at} with {@code length} bytes, or {@code null} when it is no TCP frame. */
    static TcpHeaders parse(ByteBuf buf, int at, int length) {
        if (length < 14) {
            return null;
        }
        int type = buf.getUnsignedShort(at + 12);
        int l3 = 14;
        if (type == 0x8100) {
            if (length < 18) {
                return null;
            }
            type = buf.getUnsignedShort(at + 16);
            l3 = 18;
        }
        int l4;
        boolean ipv6;
        if (type == 0x0800) {
            if (length < l3 + 20 || (buf.getUnsignedByte(at + l3) >> 4) != 4) {
                return null;
            }
            int ihl = (buf.getUnsignedByte(at + l3) & 0x0f) * 4;
            int fragment = buf.getUnsignedShort(at + l3 + 6) & 0x3fff;
            if (ihl < 20 || fragment != 0 || buf.getUnsignedByte(at + l3 + 9) != PROTO_TCP) {
                return null;
            }
            l4 = l3 + ihl;
            ipv6 = false;
        } else if (type == 0x86dd) {
            if (length < l3 + 40 || buf.getUnsignedByte(at + l3 + 6) != PROTO_TCP) {
                return null;
            }
            l4 = l3 + 40;
            ipv6 = true;
        } else {
            return null;
        }
        if (length < l4 + 20) {
            return null;
        }
        int tcpLength = (buf.getUnsignedByte(at + l4 + 12) >> 4) * 4;
        if (tcpLength < 20 || length < l4 + tcpLength) {
            return null;
        }
        return new TcpHeaders(l3, ipv6, l4, tcpLength);
    }

    /** Sets the IP length fields for a segment whose TCP payload is {@code payloadLength} bytes. */
    void setIpLength(ByteBuf buf, int at, int payloadLength) {
        int tcpSegment = tcpHeaderLength + payloadLength;
        if (ipv6) {
            buf.setShort(at + l3 + 4, tcpSegment);
        } else {
            buf.setShort(at + l3 + 2, (l4 - l3) + tcpSegment);
            Checksums.ipv4Header(buf, at + l3, l4 - l3);
        }
    }

    /** The pseudo-header sum of the TCP segment at {@code at} with {@code payloadLength} bytes of payload. */
    long pseudoHeader(ByteBuf buf, int at, int payloadLength) {
        return Checksums.pseudoHeader(buf, at + l3, ipv6, PROTO_TCP, tcpHeaderLength + payloadLength);
    }

    /** Computes and stores the full TCP checksum of the segment at {@code at}. */
    void setTcpChecksum(ByteBuf buf, int at, int payloadLength) {
        buf.setShort(at + l4 + 16, 0);
        long sum = pseudoHeader(buf, at, payloadLength);
        sum = Checksums.add(sum, buf, at + l4, tcpHeaderLength + payloadLength);
        buf.setShort(at + l4 + 16, Checksums.finish(sum));
    }
}
