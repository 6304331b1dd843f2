package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns a {@link LabSpec} into a built lab: the underlay and its internet namespace, each site's
 * namespace, Open vSwitch, hosts and full-tunnel uplink, the group server when certificates are
 * renewed, and then the nodes. Everything it creates goes into the lab's ledger first, so that
 * {@link Lab#down} removes it. Split out of {@link Lab}, which waits for the lab and serves it.
 */
final class LabBuilder {
    private final Lab lab;
    private final LabLedger ledger;
    private final OvsInstances ovs;
    private final NodeProcesses nodes;
    private final Consumer<String> progress;

    LabBuilder(Lab lab, LabLedger ledger, OvsInstances ovs, NodeProcesses nodes, Consumer<String> progress) {
        this.lab = lab;
        this.ledger = ledger;
        this.ovs = ovs;
        this.nodes = nodes;
        this.progress = progress;
    }

    /** Builds every part of the lab in order, and starts its nodes last. */
    void build() throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        Path runDir = lab.runDir();
        Files.createDirectories(runDir);
        ledger.save();
        Underlay underlay = new Underlay(spec, ledger);
        progress.accept("underlay network " + spec.wanNamespace());
        underlay.createWan();
        Internet internet = new Internet(spec, ledger, runDir);
        if (spec.hasInternet()) {
            progress.accept("internet namespace " + spec.internetNamespace() + " (" + LabSpec.INTERNET_UNDERLAY_IP
                    + "): HTTP and iperf3 at " + LabSpec.INTERNET_WEB_IP + ", DNS at " + LabSpec.INTERNET_DNS_IP);
            internet.create();
        }
        // Without offloads the userspace datapath forwards frames as they are and never completes a
        // checksum that the sender left to offload: hosts must checksum themselves. With them, OVS
        // runs userspace TSO and hosts keep checksum and segmentation offload on.
        boolean txOffloadOff = !spec.offloads() && ovs.userspaceDatapath();
        for (int s = 1; s <= spec.sites(); s++) {
            Files.createDirectories(lab.siteDir(s));
            progress.accept("site " + s + "/" + spec.sites() + ": namespace " + spec.siteNamespace(s) + ", Open vSwitch, "
                    + spec.hostsPerSite() + " host(s)" + (spec.edge(s).routed() ? ", behind router " + spec.routerNamespace(s)
                    + " (" + spec.edge(s) + ")" : ""));
            underlay.createSite(s);
            ovs.startWithBridge(spec.siteNamespace(s), lab.siteDir(s), spec.offloads());
            for (int h = 1; h <= spec.hostsPerSite(); h++) {
                String port = underlay.createHost(s, h, txOffloadOff);
                ovs.addPort(spec.siteNamespace(s), lab.siteDir(s), port);
                if (spec.hasInternet()) {
                    internet.routeHost(s, h);
                }
            }
            if (spec.hasInternet()) {
                internet.routeSite(s);
            }
            if (spec.fullTunnel(s)) {
                progress.accept("site " + s + ": full tunnel, " + Underlay.WAN + " on the bridge, " + spec.siteUnderlayIp(s)
                        + " on " + LabSpec.LOCAL_PORT);
                lab.attachUplink(s);
            }
        }
        if (spec.renewsCertificates()) {
            List<Path> certificates = new ArrayList<>();
            for (int s = 1; s <= spec.sites(); s++) {
                certificates.add(nodes.certificate(s));
            }
            progress.accept("group server at " + LabGroupServer.url() + " in " + spec.wanNamespace() + ": " + spec.sites()
                    + " sites admitted, certificates live " + spec.certLifetime().toSeconds() + " s");
            String renewal = new LabGroupServer(spec, runDir).start(certificates);
            for (int s = 1; s <= spec.sites(); s++) {
                nodes.addConfig(s, renewal);
            }
        }
        for (int s = 1; s <= spec.sites(); s++) {
            lab.startNode(s);
        }
    }
}
