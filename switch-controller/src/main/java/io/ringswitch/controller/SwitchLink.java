package io.ringswitch.controller;

import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFMessage;

/**
 * The link from one switch's {@link SwitchPipeline} to the channel the switch is connected by now.
 * The pipeline, and its managers' state (host bindings, DHCP leases, multicast groups), outlive a
 * channel: when the switch connects again (an OVS restart, a dropped TCP connection) its new channel
 * attaches here and {@link SwitchPipeline#switchReady} rebuilds the flows from that state. Messages
 * decided while no channel is attached are dropped, since the next connection rebuilds all they
 * would have changed. The controller runs every channel on one event loop, so the thread that owns
 * the pipeline stays the same across channels.
 */
final class SwitchLink implements SwitchPipeline.Link {
    /** Writes messages to one channel; called on that channel's thread. */
    interface Writer {
        void write(List<OFMessage> messages);
    }

    private volatile EventExecutor executor;
    private volatile Writer writer;

    /** The switch is connected by a new channel, on {@code executor}'s thread. */
    void attach(EventExecutor executor, Writer writer) {
        this.executor = executor;
        this.writer = writer;
    }

    /** The channel of {@code writer} closed; a newer channel that attached meanwhile stays attached. */
    void detach(Writer writer) {
        if (this.writer == writer) {
            this.writer = null;
        }
    }

    @Override
    public void send(List<OFMessage> messages) {
        Writer current = writer;
        if (current == null) {
            return;
        }
        if (executor.inEventLoop()) {
            current.write(messages);
        } else {
            executor.execute(() -> current.write(messages));
        }
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }
}
