package io.ringswitch.topology;

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

    public static Ping parse(String output) {
        Matcher counts = COUNTS.matcher(output);
        if (!counts.find()) {
            return new Ping(0, 0, Double.NaN);
        }
        Matcher rtt = RTT.matcher(output);
        return new Ping(Integer.parseInt(counts.group(1)), Integer.parseInt(counts.group(2)),
                rtt.find() ? Double.parseDouble(rtt.group(1)) : Double.NaN);
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
