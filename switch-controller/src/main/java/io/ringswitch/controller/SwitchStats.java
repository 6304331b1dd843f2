package io.ringswitch.controller;

import io.ringswitch.controller.pipeline.SwitchManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFGroupStatsReply;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterBandStats;
import org.projectfloodlight.openflow.protocol.OFMeterStats;
import org.projectfloodlight.openflow.protocol.OFMeterStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * What the switch says of its flows, groups and meters: the multipart requests the controller sends
 * every few seconds (OpenFlow 1.3.5 §7.3.5: individual flow, group and meter statistics) and the
 * replies, gathered part by part until the last one (no REPLY_MORE flag), then turned into the
 * counters the managers named. Owned by the switch channel's thread.
 */
final class SwitchStats {
    /** OFPM_ALL (OpenFlow 1.3.5 §7.3.4.4). */
    static final long ALL_METERS = 0xffff_ffffL;

    private final OFFactory of;
    private Map<U64, Long> packetsByCookie = new HashMap<>();
    private Map<U64, Long> partPackets = new HashMap<>();
    private int flows = -1;
    private long flowPolls;
    /** Packets of flows that left the switch, by cookie. */
    private final Map<U64, Long> removedPackets = new HashMap<>();
    /** The highest value each flow counter has shown: counters only rise. */
    private final Map<String, Long> highWater = new HashMap<>();
    private int partFlows;
    private int groups = -1;
    private int partGroups;
    private int meters = -1;
    private Map<Long, Long> meterDrops = new HashMap<>();
    private Map<Long, Long> partMeterDrops = new HashMap<>();

    SwitchStats(OFFactory of) {
        this.of = of;
    }

    /** Every flow (any table, any cookie), every group, every meter. */
    List<OFMessage> requests() {
        return List.of(
                of.buildFlowStatsRequest().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                        .setCookie(U64.ZERO).setCookieMask(U64.ZERO).setMatch(of.buildMatch().build()).build(),
                of.buildGroupStatsRequest().setGroup(OFGroup.ALL).build(),
                of.buildMeterStatsRequest().setMeterId(ALL_METERS).build());
    }

    /** One part of a reply; the counts change when its last part arrives. */
    void reply(OFStatsReply reply) {
        boolean last = !reply.getFlags().contains(OFStatsReplyFlags.REPLY_MORE);
        if (reply instanceof OFFlowStatsReply flowStats) {
            for (OFFlowStatsEntry entry : flowStats.getEntries()) {
                partFlows++;
                partPackets.merge(entry.getCookie(), entry.getPacketCount().getValue(), Long::sum);
            }
            if (last) {
                flowPolls++;
                flows = partFlows;
                packetsByCookie = partPackets;
                partFlows = 0;
                partPackets = new HashMap<>();
            }
        } else if (reply instanceof OFGroupStatsReply groupStats) {
            partGroups += groupStats.getEntries().size();
            if (last) {
                groups = partGroups;
                partGroups = 0;
            }
        } else if (reply instanceof OFMeterStatsReply meterStats) {
            for (OFMeterStats meter : meterStats.getEntries()) {
                long drops = 0;
                for (OFMeterBandStats band : meter.getBandStats()) {
                    drops += band.getPacketBandCount().getValue();
                }
                partMeterDrops.put(meter.getMeterId(), drops);
            }
            if (last) {
                meterDrops = partMeterDrops;
                meters = meterDrops.size();
                partMeterDrops = new HashMap<>();
            }
        }
    }

    /** Complete flow statistics replies so far: a reader knows the counts are newer than something it did. */
    long flowPolls() {
        return flowPolls;
    }

    /** Flows in the switch at the last complete reply, -1 before one. */
    int flows() {
        return flows;
    }

    int groups() {
        return groups;
    }

    int meters() {
        return meters;
    }

    /**
     * A flow left the switch (its timeout, or a delete): its packets stay counted, so that a named
     * counter never goes down when a drop flow with a hard timeout expires (OpenFlow 1.3.5 §7.4.2).
     */
    void flowRemoved(OFFlowRemoved removed) {
        removedPackets.merge(removed.getCookie(), removed.getPacketCount().getValue(), Long::sum);
    }

    /** The counters the managers named, from the last complete replies, plus their own controller-side counters. */
    Map<String, Long> counters(List<SwitchManager> managers) {
        Map<String, Long> out = new HashMap<>();
        for (SwitchManager manager : managers) {
            manager.flowCounters().forEach((name, cookie) -> out.merge(name,
                    packetsByCookie.getOrDefault(cookie, 0L) + removedPackets.getOrDefault(cookie, 0L), Long::sum));
            // A flow removed since the last poll is counted twice until the next one: never go back down.
            manager.flowCounters().keySet().forEach(name -> out.put(name, highWater.merge(name, out.get(name), Math::max)));
            manager.meterDropCounters().forEach((name, ids) -> out.merge(name, drops(ids), Long::sum));
            manager.counters().forEach((name, value) -> out.merge(name, value, Long::sum));
        }
        return out;
    }

    private long drops(Set<Long> meterIds) {
        long sum = 0;
        for (long id : meterIds) {
            sum += meterDrops.getOrDefault(id, 0L);
        }
        return sum;
    }
}
