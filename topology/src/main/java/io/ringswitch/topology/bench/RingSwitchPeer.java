package io.ringswitch.topology.bench;

import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * RingSwitch itself, as {@code ./ringswitch bench} measures it: a 2-site {@link Lab} (per site a
 * namespace with its own OVS instance and node process, one host on its bridge), from the host of
 * site 1 to the host of site 2. Its daemons are each site's node, ovs-vswitchd and ovsdb-server.
 * The lab is named after the run, so that it meets no other lab on this machine. Encrypted (links
 * authenticated by the lab's certificates, as users run it) or, to show what the encryption costs,
 * in plaintext ({@link LabSpec#withEncrypted}).
 */
final class RingSwitchPeer implements PeerSystem {
    private final RunContext run;
    private final LabSpec spec;
    private final Cleanup cleanup = new Cleanup();
    private final boolean encrypted;
    /** The checkout whose build the lab's nodes run: this one, or a baseline's. */
    private final Path home;
    private final boolean baseline;
    private Lab lab;

    RingSwitchPeer(RunContext run, boolean encrypted) {
        this.run = run;
        this.encrypted = encrypted;
        this.home = Preflight.home();
        this.baseline = false;
        this.spec = LabSpec.of(encrypted ? run.labName() : run.plaintextLabName(), 2, 1).withEncrypted(encrypted);
    }

    /** Encrypted RingSwitch as built in the checkout {@code baselineHome} ({@link PeerCatalog#RINGSWITCH_BASELINE}). */
    RingSwitchPeer(RunContext run, Path baselineHome) {
        this.run = run;
        this.encrypted = true;
        this.home = baselineHome;
        this.baseline = true;
        this.spec = LabSpec.of(run.baselineLabName(), 2, 1);
    }

    @Override
    public String id() {
        return baseline ? PeerCatalog.RINGSWITCH_BASELINE : encrypted ? PeerCatalog.RINGSWITCH : PeerCatalog.RINGSWITCH_PLAINTEXT;
    }

    @Override
    public String label() {
        return baseline ? "RingSwitch (baseline " + home.getFileName() + ")" : encrypted ? "RingSwitch" : "RingSwitch (plaintext)";
    }

    @Override
    public List<String> packages() {
        return List.of();
    }

    @Override
    public List<String> programs() {
        return List.of("ovsdb-server", "ovs-vswitchd", "ovs-vsctl");
    }

    @Override
    public Endpoints up() throws IOException, InterruptedException {
        cleanup.add("lab " + spec.name(), () -> Lab.down(spec.name(), run.progress()));
        lab = Lab.up(spec, home, run.progress());
        // The first frames are flooded while the bridges and nodes learn the hosts' MACs.
        lab.ping(1, 1, 2, 1, 3, 0.2);
        return new Endpoints(spec.hostNamespace(1, 1), spec.hostNamespace(2, 1), spec.hostIp(2, 1));
    }

    @Override
    public void down() {
        for (String failure : cleanup.unwind()) {
            run.progress().accept(label() + ": could not remove " + failure);
        }
        lab = null;
    }

    @Override
    public List<Daemon> daemonPids() {
        List<Daemon> out = new ArrayList<>();
        if (lab == null) {
            return out;
        }
        for (int site = 1; site <= 2; site++) {
            String side = site == 1 ? "a" : "b";
            lab.nodeStatus(site).ifPresent(status -> out.add(new Daemon(side, status.pid())));
            for (String daemon : new String[] {"ovs-vswitchd", "ovsdb-server"}) {
                Path pidFile = lab.siteDir(site).resolve(daemon + ".pid");
                try {
                    out.add(new Daemon(side, Long.parseLong(Files.readString(pidFile).trim())));
                } catch (IOException | NumberFormatException e) {
                    run.progress().accept(label() + ": no pid in " + pidFile);
                }
            }
        }
        return out;
    }
}
