package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * A node's source authentication, timed: the CPU its signing and its checks take (the simulator
 * thread's CPU time around each call), so that what signatures add per message can be read apart
 * from the ring's upkeep, whose share of a phase's CPU varies more than a signature costs.
 */
final class TimedSourceAuthentication implements SourceAuthentication {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final SourceAuthentication inner;
    private long nanos;

    TimedSourceAuthentication(SourceAuthentication inner) {
        this.inner = inner;
    }

    /** CPU nanoseconds spent signing and checking so far. */
    long nanos() {
        return nanos;
    }

    @Override
    public byte[] signRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        long t = THREADS.getCurrentThreadCpuTime();
        byte[] out = inner.signRouted(from, dst, type, payload);
        nanos += THREADS.getCurrentThreadCpuTime() - t;
        return out;
    }

    @Override
    public byte[] openRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        long t = THREADS.getCurrentThreadCpuTime();
        byte[] out = inner.openRouted(from, dst, type, payload);
        nanos += THREADS.getCurrentThreadCpuTime() - t;
        return out;
    }

    @Override
    public byte[] signBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        long t = THREADS.getCurrentThreadCpuTime();
        byte[] out = inner.signBroadcast(origin, id, type, payload);
        nanos += THREADS.getCurrentThreadCpuTime() - t;
        return out;
    }

    @Override
    public byte[] openBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        long t = THREADS.getCurrentThreadCpuTime();
        byte[] out = inner.openBroadcast(origin, id, type, payload);
        nanos += THREADS.getCurrentThreadCpuTime() - t;
        return out;
    }
}
