package io.ringswitch.controller;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by every switch channel of one controller. */
final class ControllerCounters {
    final LongAdder packetIns = new LongAdder();
    final LongAdder flowMods = new LongAdder();
    /** Frames the controller wrote into the switch (answers it built, frames it let go on). */
    final LongAdder packetOuts = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder badVersion = new LongAdder();
    final LongAdder switchErrors = new LongAdder();
    final LongAdder handshakes = new LongAdder();
}
