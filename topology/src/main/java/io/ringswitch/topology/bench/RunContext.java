package io.ringswitch.topology.bench;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What the systems of one {@code bench --peers} run share: a tag that makes its namespace,
 * interface and socket names unique on this machine ({@code ip netns exec} shares /run, /etc and
 * /tmp between namespaces), a private work directory, and where progress lines go.
 */
record RunContext(String tag, Path workDir, Consumer<String> progress) {

    /** The namespace of one side, {@code rsbp-TAG-a} or {@code rsbp-TAG-b}. */
    String namespace(String side) {
        return "rsbp-" + tag + "-" + side;
    }

    /** A network interface name of one side that no other run uses (at most 15 characters). */
    String iface(String side) {
        return "rsbp" + tag + side;
    }

    /** The lab name of the RingSwitch system (1 to 6 of a-z 0-9). */
    String labName() {
        return "bp" + tag;
    }

    /** The lab name of the baseline build of RingSwitch ({@link PeerCatalog#RINGSWITCH_BASELINE}). */
    String baselineLabName() {
        return "br" + tag;
    }

    /** The lab name of RingSwitch in plaintext, not the encrypted one's (1 to 6 of a-z 0-9). */
    String plaintextLabName() {
        return "bq" + tag;
    }
}
