package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pings every 50 ms from {@code t0Millis} on (wall clock, as ping's {@code -D} stamps are) and
 * notes when the first reply came. Not {@code -w}: ping then stops at the first "host
 * unreachable" while ARP fails; line-buffered, so that each reply is read as it comes. Of
 * {@link RelayBench}'s runs: the time to the first host ping over the relayed link.
 */
final class FirstPingReply implements AutoCloseable {
    private static final Pattern REPLY_AT = Pattern.compile("\\[(\\d+\\.\\d+)] \\d+ bytes from");

    private final Process ping;
    private final AtomicLong replyMillis = new AtomicLong(-1);
    private final CountDownLatch replied = new CountDownLatch(1);

    private FirstPingReply(Process ping, long t0Millis) {
        this.ping = ping;
        Thread reader = new Thread(() -> read(t0Millis), "bench-relays-first-ping");
        reader.setDaemon(true);
        reader.start();
    }

    static FirstPingReply start(String namespace, String target, long t0Millis) throws IOException {
        int count = (int) (RelayBench.RELAY_LIMIT.toMillis() / 50);
        Process ping = new ProcessBuilder(Shell.inNetns(namespace, "stdbuf", "-oL", "ping", "-D", "-n", "-i", "0.05", "-c",
                Integer.toString(count), target)).redirectErrorStream(true).start();
        return new FirstPingReply(ping, t0Millis);
    }

    private void read(long t0Millis) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(ping.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = REPLY_AT.matcher(line);
                if (m.find()) {
                    replyMillis.set(Math.max(0, (long) (Double.parseDouble(m.group(1)) * 1000) - t0Millis));
                    replied.countDown();
                    return;
                }
            }
        } catch (IOException e) {
            // ping was stopped: no reply came
        } finally {
            replied.countDown();
        }
    }

    /** Waits for the first reply until {@code deadlineNanos} ({@link System#nanoTime}). */
    void await(long deadlineNanos) throws InterruptedException {
        replied.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Milliseconds from t0 to the first reply, null if none came. */
    Long millis() {
        long ms = replyMillis.get();
        return ms < 0 ? null : ms;
    }

    @Override
    public void close() throws InterruptedException {
        ping.destroy();
        ping.waitFor(5, TimeUnit.SECONDS);
    }
}
