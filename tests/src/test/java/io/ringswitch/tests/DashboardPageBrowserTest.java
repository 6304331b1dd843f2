package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.dashboard.DashboardServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A node's dashboard in headless Chromium, on a node status that this test writes, with the byte
 * counters per link that the status gains in issue 20's metrics work: throughput is the change in
 * a link's byte counters over the change in the status's time, and a link without counters shows
 * {@code n/a}. No lab: the page alone.
 */
class DashboardPageBrowserTest {
    private static final String SELF = "1".repeat(40);
    private static final String PEER = "8".repeat(40);
    private static final String OLD = "c".repeat(40);

    @TempDir
    Path tmp;

    @Test
    void throughputComesFromTheByteCountersAndIsNaWithoutThem() throws Exception {
        AtomicLong polls = new AtomicLong();
        WebDriver browser = null;
        // Each poll is a status written a second after the last, with 125,000 bytes more in (1 Mbit/s) and 250,000 more out.
        try (DashboardServer server = DashboardServer.start(new InetSocketAddress("127.0.0.1", 0), () -> {
            long n = polls.incrementAndGet();
            return Map.of("name", "site1", "pid", 1, "writtenAtMillis", 1_700_000_000_000L + n * 1000, "address", SELF,
                    "connected", true, "links", List.of(
                            Map.of("address", PEER, "path", "udp:192.0.2.8:5800", "kind", "udp", "claims", List.of("near"),
                                    "rttMillis", 4, "bytesIn", n * 125_000, "bytesOut", n * 250_000, "recordsIn", n * 100,
                                    "recordsOut", n * 200, "ageSeconds", 60 + n),
                            Map.of("address", OLD, "path", "tcp:192.0.2.12:5800", "kind", "tcp", "claims", List.of("near"),
                                    "rttMillis", -1)));
        })) {
            browser = browser();
            browser.get(server.url());
            WebDriver page = browser;
            new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(200)).until(b ->
                    text(page, "document.querySelectorAll('#links tbody tr').length").equals("2")
                            && text(page, throughput(0)).contains("Mbit/s"));
            assertEquals("1.0 Mbit/s / 2.0 Mbit/s", text(browser, throughput(0)), "bytes a second, in bits, each way");
            assertEquals("n/a", text(browser, throughput(1)), "a link whose status has no byte counters");
            assertTrue(text(browser, "document.querySelector('#links tbody tr:nth-child(2)').textContent").contains("n/a"),
                    "its RTT, not measured yet, too");
            assertEquals("1", text(browser, "document.getElementById('count-nodes').textContent"), "one node: this one");
            assertEquals("2", text(browser, "document.querySelectorAll('#ring-nodes .node.peer').length"),
                    "its two peers drawn on the ring by address");
            String hover = text(browser, "document.querySelector('#ring-links path.kind-udp').getAttribute('aria-label')");
            assertTrue(hover.contains("RTT 4 ms") && hover.contains("in 1.0 Mbit/s, out 2.0 Mbit/s"), hover);
            assertEquals(Map.of(), server.refusals().snapshot());
        } finally {
            if (browser != null) {
                browser.quit();
            }
        }
    }

    private static String throughput(int row) {
        return "document.querySelectorAll('#links tbody td.throughput')[" + row + "].textContent";
    }

    private WebDriver browser() throws Exception {
        return HeadlessChromium.start(tmp, "1400,1000");
    }

    /** The string {@code expression} gives in the page, read in one step (the page redraws every second). */
    private static String text(WebDriver browser, String expression) {
        return HeadlessChromium.text(browser, expression);
    }
}
