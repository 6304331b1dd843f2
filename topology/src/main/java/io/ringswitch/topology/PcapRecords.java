package io.ringswitch.topology;

import java.nio.ByteBuffer;

/**
 * Turns the bytes of a pcap savefile (tcpdump.org "pcap savefile format": a 24-byte file header,
 * then per packet a 16-byte header whose bytes 8 to 11 give the length captured, and those bytes)
 * into its packets, one at a time; a packet that runs past the end of the file ends the walk (a
 * capture cut short). The one place that knows the record layout, for {@link PcapSearch} and
 * {@link UplinkLeaks}.
 */
final class PcapRecords {
    static final int FILE_HEADER = 24;
    static final int PACKET_HEADER = 16;

    private final byte[] data;
    private final ByteBuffer in;
    private int next = FILE_HEADER;
    private int start;
    private int captured;

    /** The packets of {@code data}, whose headers {@code in} (over the same bytes) reads in the file's byte order. */
    PcapRecords(byte[] data, ByteBuffer in) {
        this.data = data;
        this.in = in;
    }

    /** Moves to the next whole packet; false when there is none. */
    boolean next() {
        if (next + PACKET_HEADER > data.length) {
            return false;
        }
        int length = in.getInt(next + 8);
        int from = next + PACKET_HEADER;
        if (length < 0 || length > data.length - from) {
            return false;
        }
        start = from;
        captured = length;
        next = from + length;
        return true;
    }

    /** Where the current packet's bytes start in the file. */
    int start() {
        return start;
    }

    /** How many bytes of the current packet were captured. */
    int captured() {
        return captured;
    }
}
