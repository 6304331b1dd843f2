package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The switch as a manager under test sees it: settable ports and clock, {@link #execute} runs the
 * task at once (the test is the channel thread), and {@link #send} records the messages and, when a
 * {@link FakeFlowTable} is attached, applies them to it.
 */
public final class FakeSwitchContext implements SwitchContext {
    public static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

    private OFPort overlayPort;
    private final Set<OFPort> localPorts = new LinkedHashSet<>();
    private final Set<OFPort> trusted = new LinkedHashSet<>();
    private final List<OFMessage> sent = new ArrayList<>();
    private FakeFlowTable table;
    private long now;

    /** Late messages go to {@code table} as well as to {@link #sent()}. */
    public FakeSwitchContext attach(FakeFlowTable table) {
        this.table = table;
        return this;
    }

    public FakeSwitchContext overlayPort(OFPort port) {
        this.overlayPort = port;
        return this;
    }

    public FakeSwitchContext localPort(OFPort port) {
        localPorts.add(port);
        return this;
    }

    public FakeSwitchContext removeLocalPort(OFPort port) {
        localPorts.remove(port);
        return this;
    }

    public FakeSwitchContext trust(OFPort port) {
        trusted.add(port);
        return this;
    }

    public void setNowMillis(long now) {
        this.now = now;
    }

    public void advanceMillis(long millis) {
        now += millis;
    }

    /** Everything sent late, in order. */
    public List<OFMessage> sent() {
        return sent;
    }

    @Override
    public OFFactory factory() {
        return OF13;
    }

    @Override
    public OFPort overlayPort() {
        return overlayPort;
    }

    @Override
    public Set<OFPort> localPorts() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(localPorts));
    }

    @Override
    public boolean trusted(OFPort port) {
        return trusted.contains(port);
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void send(List<OFMessage> messages) {
        sent.addAll(messages);
        if (table != null) {
            table.apply(messages);
        }
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }
}
