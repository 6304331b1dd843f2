package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.ConfigReference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ringswitch config check} and {@code ringswitch config reference} as an operator runs them. */
class ConfigCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new ConfigCommand()).setOut(new PrintWriter(out, true)).execute(args);
    }

    @Test
    void aGoodFileIsOk() throws Exception {
        Path file = Files.writeString(dir.resolve("node.yaml"), "name: site1\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n");
        assertEquals(0, run("check", file.toString()));
        assertTrue(out.toString().startsWith("OK: "), out.toString());
    }

    @Test
    void aBadFileShowsEveryProblemAndFails() throws Exception {
        Path file = Files.writeString(dir.resolve("node.yaml"), "name: site1\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "dhcp: {subnet: 10.77.0.0/16, pool: 10.78.0.1-10.77.0.9, leaseSecs: 60}\nnat: {keepaliveSeconds: 0}\n");
        assertEquals(1, run("check", file.toString()));
        assertTrue(out.toString().contains("dhcp.leaseSecs: not a field in dhcp; did you mean leaseSeconds?"), out.toString());
        Files.writeString(file, "name: site1\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "dhcp: {subnet: 10.77.0.0/16, pool: 10.78.0.1-10.77.0.9}\nnat: {keepaliveSeconds: 0}\n");
        out.getBuffer().setLength(0);
        assertEquals(1, run("check", file.toString()));
        assertTrue(out.toString().contains("2 problems"), out.toString());
        assertTrue(out.toString().contains("dhcp.pool: a host address of 10.77.0.0/16 (got 10.78.0.1)"), out.toString());
        assertTrue(out.toString().contains("nat.keepaliveSeconds: 1 to 300 seconds (got 0)"), out.toString());
    }

    @Test
    void aMissingFileFailsToo() {
        assertEquals(2, run("check", dir.resolve("nope.yaml").toString()));
        assertTrue(out.toString().contains("cannot read"), out.toString());
    }

    @Test
    void theReferenceIsPrinted() {
        assertEquals(0, run("reference"));
        assertEquals(ConfigReference.markdown(), out.toString());
    }
}
