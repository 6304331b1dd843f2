package io.ringswitch.controller.pipeline;

import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBand;
import org.projectfloodlight.openflow.protocol.meterband.OFMeterBandDrop;

/**
 * A meter with one drop band in packets a second (OpenFlow 1.3.5 §5.7), as a token bucket: it
 * starts full with {@code burst} tokens (the rate when no burst is given), refills at the rate, and
 * a packet that finds no token is dropped and counted on the band.
 */
final class FakeMeter {
    private long rate;
    private long burst;
    private double tokens;
    private long refilledAt;
    long packetsIn;
    long dropped;

    FakeMeter(OFMeterMod mod, long nowMillis) {
        configure(mod, nowMillis);
    }

    /** METER_MOD add or modify: the new band, a full bucket; the counters stay. */
    void configure(OFMeterMod mod, long nowMillis) {
        OFMeterBandDrop drop = null;
        for (OFMeterBand band : mod.getMeters()) {
            if (band instanceof OFMeterBandDrop d) {
                drop = d;
            }
        }
        if (drop == null) {
            throw new AssertionError("the fake switch models meters with a drop band only: " + mod);
        }
        rate = drop.getRate();
        burst = drop.getBurstSize() == 0 ? rate : drop.getBurstSize();
        tokens = burst;
        refilledAt = nowMillis;
    }

    /** Whether one packet passes at {@code nowMillis}. */
    boolean pass(long nowMillis) {
        packetsIn++;
        tokens = Math.min(burst, tokens + rate * Math.max(0, nowMillis - refilledAt) / 1000.0);
        refilledAt = Math.max(refilledAt, nowMillis);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        dropped++;
        return false;
    }
}
