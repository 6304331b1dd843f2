package io.ringswitch.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks for plaintext in a capture: reads a pcap file (the format tcpdump writes, tcpdump.org
 * "pcap savefile format": a 24-byte file header, then per packet a 16-byte header and the bytes
 * captured) and counts the packets that hold at least {@code repeats} back-to-back copies of a
 * repeating pattern, in any phase. A payload that is filled with one pattern (ping {@code -p},
 * iperf3 {@code --repeating-payload}) shows it in every packet that carries it in the clear, and
 * in no packet where it crossed encrypted.
 */
final class PcapSearch {
    /**
     * What one capture held.
     *
     * @param packets  packets in the file
     * @param bytes    bytes captured (packet data, headers of the file left out): what was searched
     * @param matching for each pattern searched, the packets that hold it
     */
    record Result(long packets, long bytes, List<Long> matching) {
    }

    private PcapSearch() {
    }

    /** Searches {@code file} for each of {@code patterns}, each repeated {@code repeats} times back to back. */
    static Result search(Path file, int repeats, List<String> patterns) throws IOException {
        byte[] data = Files.readAllBytes(file);
        if (data.length < PcapRecords.FILE_HEADER) {
            throw new IOException(file + ": " + data.length + " bytes, too short for a pcap file");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                throw new IOException(file + ": not a pcap file (magic " + Integer.toHexString(magic) + ")");
            }
        }
        List<byte[][]> needles = new ArrayList<>();
        for (String pattern : patterns) {
            needles.add(rotations(pattern.getBytes(StandardCharsets.ISO_8859_1), repeats));
        }
        long[] matching = new long[patterns.size()];
        long packets = 0;
        long bytes = 0;
        PcapRecords records = new PcapRecords(data, in);
        while (records.next()) {
            int start = records.start();
            int captured = records.captured();
            packets++;
            bytes += captured;
            for (int p = 0; p < needles.size(); p++) {
                if (containsAny(data, start, start + captured, needles.get(p))) {
                    matching[p]++;
                }
            }
        }
        List<Long> counts = new ArrayList<>();
        for (long m : matching) {
            counts.add(m);
        }
        return new Result(packets, bytes, counts);
    }

    /** The packets in a capture file (one that tcpdump may have left unfinished: a cut packet at the end is not counted). */
    static long packets(Path file) throws IOException {
        return search(file, 1, List.of()).packets();
    }

    /** {@code pattern} repeated {@code repeats} times, starting at each of its bytes in turn. */
    static byte[][] rotations(byte[] pattern, int repeats) {
        byte[][] out = new byte[pattern.length][pattern.length * repeats];
        for (int phase = 0; phase < pattern.length; phase++) {
            for (int i = 0; i < out[phase].length; i++) {
                out[phase][i] = pattern[(phase + i) % pattern.length];
            }
        }
        return out;
    }

    /** Whether any of {@code needles} occurs in {@code data[from, to)}. */
    static boolean containsAny(byte[] data, int from, int to, byte[][] needles) {
        for (int i = from; i < to; i++) {
            for (byte[] needle : needles) {
                if (data[i] == needle[0] && i + needle.length <= to && matchesAt(data, i, needle)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] data, int at, byte[] needle) {
        for (int j = 1; j < needle.length; j++) {
            if (data[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
