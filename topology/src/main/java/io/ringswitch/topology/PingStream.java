package io.ringswitch.topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping running in the background from one lab host to another ({@code ping -D}), whose replies
 * are noted with the time they came back, so that one can ask when the last one came and which
 * sequence numbers went unanswered. Stopped with SIGINT, as a person ends a ping.
 */
public final class PingStream implements AutoCloseable {
    private static final Pattern REPLY = Pattern.compile("^\\[(\\d+)\\.(\\d+)] \\d+ bytes from .*icmp_seq=(\\d+)");

    private final String from;
    private final String to;
    private final Process process;
    private final Map<Integer, Long> replies = new ConcurrentSkipListMap<>();
    private final Thread reader;

    private PingStream(String from, String to, Process process) {
        this.from = from;
        this.to = to;
        this.process = process;
        this.reader = new Thread(this::read, "ping " + from + " > " + to);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts pinging host {@code toHost} of {@code toSite} from host 1 of {@code fromSite} every {@code interval} s. */
    public static PingStream start(LabSpec spec, int fromSite, int toSite, double interval) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(Shell.inNetns(spec.hostNamespace(fromSite, 1), "ping", "-n", "-D", "-i",
                Double.toString(interval), "-W", "1", spec.hostIp(toSite, 1)));
        pb.redirectErrorStream(true);
        return new PingStream("site" + fromSite, "site" + toSite, pb.start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = REPLY.matcher(line);
                if (m.find()) {
                    String micros = (m.group(2) + "000000").substring(0, 6);
                    replies.putIfAbsent(Integer.parseInt(m.group(3)), Long.parseLong(m.group(1)) * 1000 + Long.parseLong(micros) / 1000);
                }
            }
        } catch (IOException e) {
            // The process ended: what was read is what there is.
        }
    }

    /** {@code siteA>siteB}. */
    public String pair() {
        return from + ">" + to;
    }

    /** Replies so far. */
    public int received() {
        return replies.size();
    }

    /** When the last reply came (epoch ms), or -1 when none did. */
    public long lastReplyMillis() {
        return replies.values().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Replies that came at or after {@code millis}. */
    public long repliesSince(long millis) {
        return replies.values().stream().filter(t -> t >= millis).count();
    }

    /**
     * Pings sent up to the last answered one: the sequence numbers from the first answered to the
     * last. The pings after it may still be in flight when the stream stops, so they do not count.
     */
    public int sentUpToLastReply() {
        if (replies.isEmpty()) {
            return 0;
        }
        int first = ((ConcurrentSkipListMap<Integer, Long>) replies).firstKey();
        int last = ((ConcurrentSkipListMap<Integer, Long>) replies).lastKey();
        return last - first + 1;
    }

    /** Pings between the first and the last answered one that got no answer. */
    public int lostBetweenReplies() {
        return sentUpToLastReply() - replies.size();
    }

    /** Stops the ping (SIGINT) and waits for it to end. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            Shell.run(Duration.ofSeconds(5), "kill", "-INT", Long.toString(process.pid()));
            if (!process.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        reader.join(3000);
    }
}
