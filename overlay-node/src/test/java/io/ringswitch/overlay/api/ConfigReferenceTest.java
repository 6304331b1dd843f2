package io.ringswitch.overlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/config.md is what the records' {@code @Doc} annotations say, so that no field goes undocumented. */
class ConfigReferenceTest {
    /** Maven runs the tests in the module's directory; the reference lives at the top of the checkout. */
    private static final Path REFERENCE = Path.of("..", "docs", "config.md");

    @Test
    void docsConfigMdIsUpToDateWithTheRecords() throws Exception {
        String generated = ConfigReference.markdown();
        String written = Files.exists(REFERENCE) ? Files.readString(REFERENCE) : "";
        assertEquals(generated, written, "docs/config.md is out of date with the config records:"
                + " run ./ringswitch config reference > docs/config.md and commit it");
    }

    @Test
    void everyFieldOfEverySectionHasARow() {
        String text = ConfigReference.markdown();
        for (String path : new String[] {"`name`", "`dhcp.pool`", "`public.identity.ca`", "`tunnel.ipv6Prefix`",
                "`revocation.intervalSeconds`", "`switching.packetInPps`", "`nat.relayChoice`"}) {
            assertTrue(text.contains("| " + path + " |"), path);
        }
        assertTrue(text.contains("| `dhcp.leaseSeconds` | whole number | 600 |"), "type and default in their columns");
    }
}
