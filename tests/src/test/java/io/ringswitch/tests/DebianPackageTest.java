package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Debian package on a host that never saw the project: {@code packaging/build-deb.sh} builds
 * it, it is installed with dpkg into a {@link CleanRoot} (a minimal Debian with only the
 * package's dependencies), the node starts from the unit's ExecStart under its hardening
 * ({@link ServiceStandIn}) in a site of a running lab and joins its ring, a ping crosses, and
 * {@code dpkg --purge} leaves nothing behind.
 *
 * <p>The lab has three sites; the lab's own node of site 3 is stopped before the packaged one
 * takes the site over (its namespace, OVS instance, host and certificate), so the packaged node
 * joins a running two-site ring, as a node installed on a new host would.
 */
class DebianPackageTest {
    private static final LabSpec SPEC = LabSpec.of("pkg", 3, 1);
    private static final int SITE = 3;
    private static final String INSTANCE = "site" + SITE;
    private static final String STATE = "/var/lib/ringswitch/" + INSTANCE;
    /** The node's directory for its OpenFlow socket in OVS's run directory (ovs-vswitchd dials no other). */
    private static final String SOCKET_DIR = "ringswitch-" + INSTANCE;
    private static final Duration AWAIT = Duration.ofSeconds(60);

    private Lab lab;

    @Test
    void installsIntoACleanRootJoinsALabAndIsPurgedWithoutLeftovers() throws Exception {
        Path home = Preflight.home();
        Path out = Files.createTempDirectory("ringswitch-deb");
        Process build = new ProcessBuilder(home.resolve("packaging/build-deb.sh").toString(), home.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("build.log").toFile()).start();
        CleanRoot root = null;
        ServiceStandIn node = null;
        boolean passed = false;
        try {
            // While the package builds: the clean root, then the lab.
            root = CleanRoot.mount(depends(Files.readString(home.resolve("packaging/deb/DEBIAN/control.in"))), DebianPackageTest::log);
            assertNothingOfThisMachine(root);
            Lab.down(SPEC.name(), DebianPackageTest::log);
            lab = Lab.up(SPEC, home, DebianPackageTest::log);

            log("waiting for the package");
            assertTrue(build.waitFor(5, TimeUnit.MINUTES) && build.exitValue() == 0,
                    "build-deb.sh failed:\n" + Files.readString(out.resolve("build.log")));
            Path deb = Files.readString(out.resolve("build.log")).lines().map(Path::of)
                    .filter(p -> p.toString().endsWith(".deb")).reduce((a, b) -> b).orElseThrow();
            String control = Shell.run(Duration.ofSeconds(30), "dpkg-deb", "-f", deb.toString()).orThrow().output();
            assertEquals(depends(control), depends(Files.readString(home.resolve("packaging/deb/DEBIAN/control.in"))));
            List<String> contents = packageContents(deb);
            CleanRoot before = root;
            List<String> there = contents.stream().filter(p -> Files.exists(before.resolve(p))).toList();

            log("installing " + deb.getFileName() + " into " + root.path());
            root.run(Duration.ofMinutes(3), Map.of("/mnt", deb.getParent()), "dpkg", "-i", "/mnt/" + deb.getFileName()).orThrow();
            assertLauncherWorksAlone(root);

            lab.stopNode(SITE, false);
            writeSiteConfig(root);
            // The site's OVS runs from the site's directory: that is its /var/run/openvswitch.
            Map<String, Path> ovsRunDir = Map.of("/run/openvswitch", lab.siteDir(SITE));
            Path socket = lab.siteDir(SITE).resolve(SOCKET_DIR).resolve("controller.sock");
            Shell.run(Duration.ofSeconds(20), Shell.inNetns(SPEC.siteNamespace(SITE), "ovs-vsctl", "--db=unix:"
                    + lab.siteDir(SITE).resolve("db.sock"), "set-controller", Lab.BRIDGE, "unix:" + socket)).orThrow();
            UnitFile unit = UnitFile.read(root.resolve("/lib/systemd/system/ringswitch@.service"), INSTANCE);
            log("starting " + String.join(" ", unit.execStart()) + " as ringswitch@" + INSTANCE + ".service would");
            node = ServiceStandIn.start(unit, root, SPEC.siteNamespace(SITE), ovsRunDir, out.resolve("node.log"));

            assertJoins(root, node, out.resolve("node.log"));
            assertHardened(node, unit);
            assertConfined(unit, root, ovsRunDir);
            await(() -> ping(1, SITE) && ping(SITE, 1), "a ping between site 1's host and the packaged site's host");

            log("the packaged node joined and a ping crossed; stopping it and purging the package");
            assertTrue(node.stop(Duration.ofSeconds(20)), "the node did not stop on SIGTERM");
            String ports = Shell.run(Duration.ofSeconds(20), Shell.inNetns(SPEC.siteNamespace(SITE), "ovs-vsctl", "--db=unix:"
                    + lab.siteDir(SITE).resolve("db.sock"), "list-ports", Lab.BRIDGE)).orThrow().output();
            assertFalse(ports.lines().anyMatch(Lab.TAP::equals), "the overlay port stayed on the bridge: " + ports);

            root.run(Duration.ofMinutes(1), ovsRunDir, "dpkg", "--purge", "ringswitch").orThrow();
            assertNoLeftovers(root, contents, there);
            assertFalse(Files.exists(lab.siteDir(SITE).resolve(SOCKET_DIR)), "the node's socket directory is left in OVS's");
            passed = true;
        } finally {
            if (node != null) {
                node.close();
            }
            build.destroyForcibly();
            if (lab != null) {
                if (!passed) {
                    lab.saveLogs();
                }
                lab.down();
            }
            if (root != null) {
                root.close();
            }
            if (passed) {
                Shell.run(Duration.ofSeconds(30), "rm", "-rf", out.toString());
            } else {
                log("the package, its build log and the packaged node's log are kept in " + out);
            }
        }
    }

    /** The root has no project tree, no Maven, no lab tools and no RingSwitch before the install. */
    private static void assertNothingOfThisMachine(CleanRoot root) throws IOException {
        for (String absent : List.of("/work", "/usr/bin/mvn", "/usr/share/maven", "/usr/bin/iperf3", "/usr/bin/tcpdump",
                "/usr/bin/ringswitch", "/usr/share/ringswitch", "/etc/ringswitch", "/var/lib/ringswitch")) {
            assertFalse(Files.exists(root.resolve(absent)), absent + " is in the clean root");
        }
        assertFalse(root.run(Duration.ofSeconds(30), Map.of(), "dpkg", "-s", "ringswitch").ok(), "ringswitch is installed already");
    }

    /** The installed command runs without Maven or a build, refuses the lab's commands, and has its man page. */
    private static void assertLauncherWorksAlone(CleanRoot root) throws IOException {
        Shell.Result help = root.run(Duration.ofSeconds(60), Map.of(), "ringswitch", "node", "--help");
        assertTrue(help.ok() && help.output().contains("--config"), help.toString());
        Shell.Result demo = root.run(Duration.ofSeconds(30), Map.of(), "ringswitch", "demo");
        assertEquals(2, demo.exitCode(), demo.toString());
        assertTrue(demo.output().contains("checkout"), demo.output());
        Shell.Result man = root.run(Duration.ofSeconds(30), Map.of(), "sh", "-c", "zcat /usr/share/man/man8/ringswitch.8.gz");
        assertTrue(man.ok() && man.output().startsWith(".TH RINGSWITCH 8") && man.output().contains(".SS ringswitch node"),
                man.output());
    }

    /**
     * What an operator writes for site 3 (README, "Installing on a real host"): its key,
     * certificate and the CA's in the state directory, its config in /etc/ringswitch; the site's
     * certificate is the one the lab issued for it.
     */
    private void writeSiteConfig(CleanRoot root) throws IOException, NodeConfig.ConfigException {
        assertTrue(SPEC.encrypted(), "the lab's nodes authenticate their links");
        NodeConfig.Identity lab3 = NodeConfig.load(lab.siteDir(SITE).resolve("node.yaml")).identity();
        Path state = root.resolve(STATE);
        Files.createDirectories(state, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.copy(Path.of(lab3.certificate()), state.resolve(INSTANCE + ".crt"));
        Files.copy(Path.of(lab3.key()), state.resolve(INSTANCE + ".key"));
        Files.setPosixFilePermissions(state.resolve(INSTANCE + ".key"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(Path.of(lab3.ca()), state.resolve("ca.crt"));
        Files.writeString(root.resolve("/etc/ringswitch/" + INSTANCE + ".yaml"), String.join("\n",
                "name: " + INSTANCE,
                "listen: " + SPEC.siteListenIp(SITE) + ":" + Lab.NODE_PORT,
                "bootstrap: [" + SPEC.siteUnderlayIp(1) + ":" + Lab.NODE_PORT + "]",
                "underlayMtu: " + SPEC.underlayMtu(),
                "tap: {name: " + Lab.TAP + ", mtu: " + SPEC.overlayMtu() + ", offloads: " + SPEC.offloads() + "}",
                "bridge: {name: " + Lab.BRIDGE + "}",
                "controller: unix:/var/run/openvswitch/" + SOCKET_DIR + "/controller.sock",
                "statusFile: " + STATE + "/status.json",
                "identity: {certificate: " + STATE + "/" + INSTANCE + ".crt, key: " + STATE + "/" + INSTANCE + ".key, ca: "
                        + STATE + "/ca.crt}",
                ""));
    }

    /** The packaged node controls its bridge and links with both nodes of the lab. */
    private void assertJoins(CleanRoot root, ServiceStandIn node, Path log) throws Exception {
        List<String> peers = new ArrayList<>();
        for (int s = 1; s <= 2; s++) {
            peers.add(lab.nodeStatus(s).orElseThrow().address());
        }
        Path status = root.resolve(STATE + "/status.json");
        await(() -> {
            if (!node.alive()) {
                throw new AssertionError("the packaged node exited:\n" + tail(log));
            }
            Optional<NodeStatus> st = NodeStatus.read(status);
            return st.isPresent() && st.get().connected() && !st.get().controller().switches().isEmpty()
                    && st.get().links().stream().map(NodeStatus.LinkStatus::address).toList().containsAll(peers);
        }, () -> "the packaged node controls its bridge and links with " + peers + "; its status: "
                + NodeStatus.read(status).map(NodeStatus::toString).orElse("none") + "\nits log:\n" + tail(log));
    }

    /** The JVM runs with the unit's capabilities and no way to gain more. */
    private static void assertHardened(ServiceStandIn node, UnitFile unit) throws IOException {
        ProcessHandle main = node.mainProcess();
        assertTrue(main.info().command().orElse("").endsWith("/java"), "the main process is " + main.info());
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(main.pid()), "status"));
        assertTrue(status.contains("NoNewPrivs:\t1"), String.join("\n", status));
        long bounding = Long.parseLong(status.stream().filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow()
                .substring("CapBnd:".length()).strip(), 16);
        assertEquals(List.of("net_admin"), unit.capabilities(), "the unit's bounding set");
        assertEquals(1L << 12, bounding, "CapBnd of the node: CAP_NET_ADMIN (12) only");
    }

    /**
     * What a process under the unit's hardening tries beyond its job fails: writing the system or
     * the configuration (ProtectSystem=strict), giving a file away (no CAP_CHOWN), and getting
     * back a capability the bounding set dropped. Each attempt succeeds without the hardening; the
     * state directory stays writable, so the attempts fail for the hardening, not for the root.
     */
    private static void assertConfined(UnitFile unit, CleanRoot root, Map<String, Path> binds) throws IOException {
        String attempts = String.join("; ",
                "touch " + STATE + "/probe && echo state-writable",
                "touch /etc/ringswitch/probe 2>/dev/null && echo wrote-etc",
                "touch /usr/bin/probe 2>/dev/null && echo wrote-usr",
                "chown 65534 " + STATE + "/probe 2>/dev/null && echo chowned",
                "setpriv --inh-caps=+sys_admin --ambient-caps=+sys_admin true 2>/dev/null && echo regained",
                "rm -f " + STATE + "/probe");
        Shell.Result r = ServiceStandIn.runConfined(unit, root, SPEC.siteNamespace(SITE), binds, Duration.ofSeconds(30),
                "sh", "-c", attempts);
        assertEquals("state-writable", r.output().strip(), "what a confined process managed: " + r.output());
    }

    /**
     * Nothing of the package is left: no file or directory it brought that the root did not
     * have, no /etc/ringswitch or /var/lib/ringswitch, and of every file the root changed since
     * the base, only dpkg's own database and log.
     */
    private static void assertNoLeftovers(CleanRoot root, List<String> contents, List<String> there) throws IOException {
        for (String path : contents) {
            if (!there.contains(path)) {
                assertFalse(Files.exists(root.resolve(path)), path + " is left after dpkg --purge");
            }
        }
        assertFalse(Files.exists(root.resolve("/etc/ringswitch")), "/etc/ringswitch is left");
        assertFalse(Files.exists(root.resolve("/var/lib/ringswitch")), "/var/lib/ringswitch is left");
        List<String> changed = root.changedFiles().stream()
                .filter(p -> !p.startsWith("var/lib/dpkg/") && !p.equals("var/log/dpkg.log")).toList();
        assertEquals(List.of(), changed, "files the purged package left in the root");
    }

    /** The paths in a package, as {@code /usr/bin/x}. */
    private static List<String> packageContents(Path deb) throws IOException {
        return Shell.run(Duration.ofSeconds(30), "sh", "-c", "dpkg-deb --fsys-tarfile \"$1\" | tar -t", "sh", deb.toString())
                .orThrow().output().lines().map(l -> l.replaceFirst("^\\./?", "/").replaceFirst("(.)/$", "$1"))
                .filter(l -> !l.equals("/")).toList();
    }

    /** The first alternative of each dependency in a control file's {@code Depends:}. */
    static List<String> depends(String control) {
        String line = control.lines().filter(l -> l.startsWith("Depends:")).findFirst().orElseThrow();
        return Arrays.stream(line.substring("Depends:".length()).split(","))
                .map(d -> d.split("\\|")[0].strip().split("\\s")[0]).toList();
    }

    private boolean ping(int from, int to) {
        try {
            return lab.ping(from, 1, to, 1, 1, 0.2).lossless();
        } catch (IOException e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, () -> what);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + AWAIT.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(250);
        }
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 30), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static final long STARTED = System.nanoTime();

    private static void log(String line) {
        System.out.printf("[DebianPackageTest %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, line);
    }
}
