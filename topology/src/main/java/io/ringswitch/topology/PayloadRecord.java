package io.ringswitch.topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * What a node's payload-recording test hook wrote (overlay-node's {@code PayloadRecorder}, turned
 * on by {@link Lab#upRecordingPayloads}): every routed payload the node forwarded for others or
 * took in, and every frame it opened from a site's end-to-end session over the ring, each as the
 * node held it. A line the hook did not finish (the node was writing as the file was read) is
 * left out.
 *
 * @param entries the entries in the order they were written
 */
public record PayloadRecord(List<Entry> entries) {
    /** Kinds of entry, as the hook names them. */
    public static final String FORWARDED = "forwarded";
    public static final String DELIVERED = "delivered";
    public static final String FRAME = "frame";
    private static final Set<String> KINDS = Set.of(FORWARDED, DELIVERED, FRAME);

    /**
     * One entry.
     *
     * @param kind  {@link #FORWARDED}, {@link #DELIVERED} or {@link #FRAME}
     * @param from  the source's ring address (of a frame: the site whose session it came in)
     * @param to    the destination's ring address
     * @param type  the routed payload type, {@code -} for a frame
     * @param bytes the payload or frame as the node held it
     */
    public record Entry(String kind, String from, String to, String type, byte[] bytes) {
        /** Whether it went between {@code a} and {@code b}, either way. */
        public boolean between(String a, String b) {
            return (from.equals(a) && to.equals(b)) || (from.equals(b) && to.equals(a));
        }
    }

    /** The record in {@code file}; empty when the node wrote none. */
    public static PayloadRecord read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return new PayloadRecord(List.of());
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ", 5);
                if (f.length < 4 || !KINDS.contains(f[0])) {
                    continue;
                }
                String hex = f.length == 5 ? f[4] : "";
                if (hex.length() % 2 != 0) {
                    continue;
                }
                try {
                    out.add(new Entry(f[0], f[1], f[2], f[3], HexFormat.of().parseHex(hex)));
                } catch (IllegalArgumentException e) {
                    // an unfinished last line
                }
            }
        }
        return new PayloadRecord(List.copyOf(out));
    }

    /** Entries of {@code kind} between {@code a} and {@code b}, either way. */
    public long count(String kind, String a, String b) {
        return entries.stream().filter(e -> e.kind().equals(kind) && e.between(a, b)).count();
    }

    /** Entries (of any kind) whose bytes hold {@code repeats} back-to-back copies of {@code pattern}. */
    public long holding(String pattern, int repeats) {
        byte[][] needles = PcapSearch.rotations(pattern.getBytes(StandardCharsets.US_ASCII), repeats);
        return entries.stream().filter(e -> PcapSearch.containsAny(e.bytes(), 0, e.bytes().length, needles)).count();
    }

    /** As {@link #holding(String, int)}, among the entries of {@code kind} only. */
    public long holding(String kind, String pattern, int repeats) {
        return new PayloadRecord(entries.stream().filter(e -> e.kind().equals(kind)).toList()).holding(pattern, repeats);
    }
}
