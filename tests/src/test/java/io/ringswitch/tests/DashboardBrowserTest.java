package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.dashboard.DashboardServer;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.NatTour;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteEdge;
import io.ringswitch.topology.cli.DashboardCommand;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live ring dashboard in Debian's headless Chromium, on four sites of the NAT lab
 * ({@link NatTour#spec}'s edges, cut to four): 1 and 2 open, 3 behind a random-port NAT, 4 behind a
 * NAT that drops UDP, so that the ring has every path kind: UDP between 1, 2 and 3, TCP from the
 * open sites to 4, and a relay between 3 and 4. {@code ringswitch dashboard}'s server runs in this
 * process on the lab's status files. Asserted: the page shows the four nodes up and links of each
 * kind; a value (a node's status time) changes while the page stays loaded; a link's hover text
 * gives its path and RTT; and each node serves its own dashboard on its operator address (loopback
 * in its namespace), whose status.json is the node's status. The screenshots, without and with
 * the pointer on the relayed link, go to {@code docs/dashboard.png} and {@code docs/dashboard-hover.png}
 * (the README's) and to {@code target/screenshots}.
 */
class DashboardBrowserTest {
    private static final LabSpec SPEC = LabSpec.of("dash", 4, 1).withOverlayMtu(1300)
            .withEdge(3, SiteEdge.RANDOM).withEdge(4, SiteEdge.UDP_BLOCKED);
    private static final Duration PATHS = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private Lab lab;

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @Test
    void theRingOfANatLabIsDrawnLiveWithEveryPathKind() throws Exception {
        WebDriver browser = null;
        DashboardServer server = null;
        try {
            Lab.down(SPEC.name(), DashboardBrowserTest::log);
            lab = Lab.up(SPEC, Preflight.home(), DashboardBrowserTest::log, Lab.Readiness.RUNNING, Duration.ofSeconds(120));
            assertTrue(NatTour.awaitJoined(lab, Duration.ofSeconds(90), DashboardBrowserTest::log), "every site joined");
            server = DashboardCommand.serve(lab.runDir(), new InetSocketAddress("127.0.0.1", 0));
            browser = browser();
            browser.get(server.url());

            WebDriverWait paths = new WebDriverWait(browser, PATHS, Duration.ofMillis(500));
            WebDriver page = browser;
            paths.until(b -> count(page, "nodes") == 4 && count(page, "up") == 4 && count(page, "udp") > 0
                    && count(page, "tcp") > 0 && count(page, "relay") > 0);
            log("page: " + count(browser, "up") + "/" + count(browser, "nodes") + " nodes up, links udp " + count(browser, "udp")
                    + ", tcp " + count(browser, "tcp") + ", relay " + count(browser, "relay"));
            assertEquals("4", text(browser, "document.querySelectorAll('#ring-nodes .node.up').length"), "four nodes on the ring, up");
            for (String kind : List.of("udp", "tcp", "relay")) {
                assertTrue(Integer.parseInt(text(browser, "document.querySelectorAll('#ring-links path.link.kind-" + kind + "').length")) > 0,
                        "a " + kind + " link is drawn");
            }
            String relayText = text(browser, "document.querySelector('#ring-links path.link.kind-relay').getAttribute('aria-label')");
            assertTrue(relayText.contains("relay via site") && relayText.contains("RTT") && relayText.contains("throughput"),
                    "the relay's hover text names the relay, the RTT and the throughput: " + relayText);

            // Live: a node's status time moves on while the page stays the one loaded (the marker survives).
            JavascriptExecutor js = (JavascriptExecutor) browser;
            js.executeScript("window.loadedOnce = 'yes';");
            String written = "document.querySelector(\"#nodes tr[data-node='site 1'] td.written\").textContent";
            String before = text(browser, written);
            new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(200)).until(b -> !text(b, written).equals(before));
            log("site 1's status time on the page went from " + before + " to " + text(browser, written));
            assertEquals("yes", js.executeScript("return window.loadedOnce;"), "the value changed without a reload");

            shot(browser, "dashboard");
            // The page redraws every second, and the lab's relay may give way to a direct path at
            // any time: each try finds the relayed link where it is drawn now (or, once it is gone,
            // any link) and hands it the pointer's mousemove there. Selenium's pointer actions onto a
            // thin SVG stroke missed in two clean-clone runs of two (and hit in the working tree), so
            // the event is dispatched on the link itself; the handler and the tooltip are the page's.
            new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(500)).until(b -> {
                hoverOnto(b, "#ring-links path.link.kind-relay", "#ring-links path.link");
                return text(b, "document.getElementById('tooltip').hidden ? '' "
                        + ": document.getElementById('tooltip').textContent").contains("RTT");
            });
            shot(browser, "dashboard-hover");

            assertNodeServesItsOwnDashboard(1);
            assertEquals(Map.of(), server.refusals().snapshot(), "the page asked for nothing the server refused");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (server != null) {
                server.close();
            }
            Lab.down(SPEC.name(), DashboardBrowserTest::log);
            String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
            assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        }
    }

    /** The node of {@code site} answers on its operator address, in its namespace, with its own status; other paths get 404. */
    private void assertNodeServesItsOwnDashboard(int site) throws Exception {
        String base = "http://" + DashboardServer.DEFAULT_LISTEN;
        Shell.Result json = lab.exec(SPEC.siteNamespace(site), Duration.ofSeconds(10), "curl", "-sf", base + "/status.json");
        assertTrue(json.ok(), "site " + site + "'s node serves status.json on " + base + ": " + json);
        NodeStatus served = JSON.readValue(json.output(), NodeStatus.class);
        NodeStatus file = lab.nodeStatus(site).orElseThrow();
        assertEquals(file.address(), served.address(), "the node's status.json is its own status");
        assertEquals(file.pid(), served.pid());
        Shell.Result missing = lab.exec(SPEC.siteNamespace(site), Duration.ofSeconds(10), "curl", "-s", "-o", "/dev/null",
                "-w", "%{http_code}", base + "/secrets");
        assertEquals("404", missing.output().trim(), "an unknown path on the node's dashboard is refused");
    }

    private WebDriver browser() throws Exception {
        return HeadlessChromium.start(tmp, "1400,1000");
    }

    private static int count(WebDriver browser, String what) {
        String text = text(browser, "document.getElementById('count-" + what + "').textContent").trim();
        return text.isEmpty() ? 0 : Integer.parseInt(text);
    }

    /**
     * The string {@code expression} gives in the page, read in one step: the page redraws every
     * second, so an element found in one call may be gone by the next.
     */
    private static String text(WebDriver browser, String expression) {
        return HeadlessChromium.text(browser, expression);
    }

    /**
     * Hands a drawn link, the first {@code css} matches or else {@code fallback}'s, a mousemove at a
     * quarter of the way along its stroke (not its bounding box's centre, which a curve misses; not its
     * middle, where a relayed link passes its relay's node).
     */
    private static void hoverOnto(WebDriver browser, String css, String fallback) {
        ((JavascriptExecutor) browser).executeScript(
                "const p = document.querySelector(arguments[0]) || document.querySelector(arguments[1]);"
                        + "const m = p.getPointAtLength(p.getTotalLength() / 4).matrixTransform(p.getScreenCTM());"
                        + "p.dispatchEvent(new MouseEvent('mousemove', {clientX: m.x, clientY: m.y, bubbles: true}));",
                css, fallback);
    }

    /** Saves the page as {@code NAME.png} in {@code target/screenshots} and in the README's {@code docs/}. */
    private static void shot(WebDriver browser, String name) throws Exception {
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.copy(png, shots.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Path docs = Preflight.home().resolve("docs");
        if (Files.isDirectory(docs)) {
            Files.copy(png, docs.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void log(String line) {
        System.out.println("[lab] " + line);
    }
}
