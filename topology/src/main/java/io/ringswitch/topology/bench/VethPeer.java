package io.ringswitch.topology.bench;

/** The physical limit: the two namespaces joined by nothing but the veth pair, no daemon. */
final class VethPeer extends TunnelPeer {

    VethPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "veth";
    }

    @Override
    public String label() {
        return "raw veth";
    }

    @Override
    protected Endpoints start() {
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), NamespacePair.UNDERLAY_B);
    }
}
