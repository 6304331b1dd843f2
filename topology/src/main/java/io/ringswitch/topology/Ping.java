package io.ringswitch.topology;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@code ping -q} run reported.
 *
 * @param sent      echo requests sent
 * @param received  echo replies received
 * @param rttAvgMs  average round trip in milliseconds, or NaN when nothing came back
 */
public record Ping(int sent, int received, double rttAvgMs) {
    private static final Pattern COUNTS = Pattern.compile("(\\d+) packets transmitted, (\\d+) (?:packets )?received");
    private static final Pattern RTT = Pattern.compile("= [0-9.]+/([0-9.]+)/[0-9.]+/[0-9.]+ ms");
    private static final Pattern REPLY = Pattern.compile("bytes from .*icmp_seq=(\\d+) .*time=([0-9.]+) ms");

    public static Ping parse(String output) {
        Matcher counts = COUNTS.matcher(output);
        if (!counts.find()) {
            return new Ping(0, 0, Double.NaN);
        }
        Matcher rtt = RTT.matcher(output);
        return new Ping(Integer.parseInt(counts.group(1)), Integer.parseInt(counts.group(2)),
                rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN);
    }

    /**
     * The replies to the first {@code count} echo requests in the output of a ping run with a
     * deadline ({@code -c COUNT -w SECONDS}, without {@code -q}). With {@code -c} alone, once every
     * request is sent, ping waits only twice the longest round trip seen so far for the rest, so
     * a reply that comes 240 ms late after replies of 40 ms counts as lost; with a deadline it waits
     * until every request is answered or the deadline passes (sending more requests while one is
     * missing: those are not counted here, and duplicates count once).
     */
    public static Ping ofReplies(String output, int count) {
        Map<Integer, Double> replies = new TreeMap<>();
        Matcher reply = REPLY.matcher(output);
        while (reply.find()) {
            int seq = Integer.parseInt(reply.group(1));
            if (seq >= 1 && seq <= count) {
                replies.putIfAbsent(seq, Double.parseDouble(reply.group(2)));
            }
        }
        Matcher counts = COUNTS.matcher(output);
        int sent = counts.find() ? Math.min(count, Integer.parseInt(counts.group(1))) : 0;
        double avg = replies.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new Ping(sent, replies.size(), avg);
    }

    public boolean lossless() {
        return sent > 0 && sent == received;
    }

    public Ping plus(Ping other) {
        double avg = received + other.received == 0 ? Double.NaN
                : ((received == 0 ? 0 : rttAvgMs * received) + (other.received == 0 ? 0 : other.rttAvgMs * other.received))
                / (received + other.received);
        return new Ping(sent + other.sent, received + other.received, avg);
    }
}
