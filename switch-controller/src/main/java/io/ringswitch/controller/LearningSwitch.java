package io.ringswitch.controller;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer-2 learning for one bridge: which MAC sits behind which port, the overlay port included.
 * Every method returns the messages to send; it never touches a channel, so tests can run it
 * against a fake flow table. Owned by the switch channel's event loop.
 */
final class LearningSwitch {
    private static final Logger log = LoggerFactory.getLogger(LearningSwitch.class);
    static final int ETHERNET_HEADER = 14;
    /** Bounds the controller's memory, whatever a flood of forged source addresses does. */
    static final int MAX_MACS = 16_384;

    private final FlowPipeline pipeline;
    private final String overlayPortName;
    private final Map<MacAddress, OFPort> macs = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MacAddress, OFPort> eldest) {
            return size() > MAX_MACS;
        }
    };
    private final Map<OFPort, String> portNames = new HashMap<>();
    private OFPort overlayPort;
    private long shortFrames;

    LearningSwitch(FlowPipeline pipeline, String overlayPortName) {
        this.pipeline = pipeline;
        this.overlayPortName = overlayPortName;
    }

    /** After a handshake: start from clean tables, whatever an earlier controller left there. */
    List<OFMessage> switchReady() {
        macs.clear();
        return pipeline.reset();
    }

    /** A copy of a frame whose source the tables do not know yet (the frame itself went on): learn it. */
    List<OFMessage> packetIn(OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (frame.length < ETHERNET_HEADER) {
            shortFrames++;
            log.warn("ignoring a PACKET_IN of {} bytes: shorter than an Ethernet header", frame.length);
            return List.of();
        }
        OFPort inPort = packetIn.getMatch().get(MatchField.IN_PORT);
        MacAddress dst = MacAddress.of(slice(frame, 0));
        MacAddress src = MacAddress.of(slice(frame, 6));
        List<OFMessage> out = new ArrayList<>(6);
        if (src.isMulticast() || src.equals(MacAddress.NONE)) {
            return out;
        }
        OFPort previous = macs.put(src, inPort);
        if (previous != null && !previous.equals(inPort)) {
            log.info("{} moved from port {} to port {}", src, previous, inPort);
            out.addAll(pipeline.forget(src));
        } else if (previous == null) {
            log.debug("learned {} on port {}", src, inPort);
        }
        out.addAll(pipeline.learned(src, inPort));
        // No PACKET_OUT: the table-miss flow sends a copy here and goes on to the forwarding
        // table, which has already sent the frame where it belongs. Sending it again doubled
        // every first frame of a conversation (duplicate ping replies after a lab came up).
        return out;
    }

    /** The switch's port list (reply to PORT_DESC). */
    List<OFMessage> portsDescribed(List<OFPortDesc> ports) {
        for (OFPortDesc port : ports) {
            notePort(port);
        }
        return List.of();
    }

    /** A port was added, removed or changed. */
    List<OFMessage> portStatus(OFPortStatus status) {
        OFPortDesc port = status.getDesc();
        if (status.getReason() != OFPortReason.DELETE) {
            notePort(port);
            return List.of();
        }
        portNames.remove(port.getPortNo());
        if (port.getPortNo().equals(overlayPort)) {
            log.warn("the overlay port {} left the bridge", overlayPortName);
            overlayPort = null;
        }
        List<OFMessage> out = new ArrayList<>();
        macs.entrySet().removeIf(entry -> {
            if (entry.getValue().equals(port.getPortNo())) {
                out.addAll(pipeline.forget(entry.getKey()));
                return true;
            }
            return false;
        });
        return out;
    }

    private void notePort(OFPortDesc port) {
        portNames.put(port.getPortNo(), port.getName());
        if (port.getName().equals(overlayPortName) && !port.getPortNo().equals(overlayPort)) {
            overlayPort = port.getPortNo();
            log.info("overlay port {} is OpenFlow port {}", overlayPortName, overlayPort);
        }
    }

    int learnedMacs() {
        return macs.size();
    }

    /** OpenFlow port number of the overlay port, or -1 while the switch has not reported it. */
    int overlayPortNumber() {
        return overlayPort == null ? -1 : overlayPort.getPortNumber();
    }

    long shortFrames() {
        return shortFrames;
    }

    private static byte[] slice(byte[] frame, int offset) {
        byte[] mac = new byte[6];
        System.arraycopy(frame, offset, mac, 0, 6);
        return mac;
    }
}
