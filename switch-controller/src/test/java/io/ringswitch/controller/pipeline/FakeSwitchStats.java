package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupStatsEntry;
import org.projectfloodlight.openflow.protocol.OFGroupStatsRequest;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterStats;
import org.projectfloodlight.openflow.protocol.OFMeterStatsRequest;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * The fake switch's answers to individual flow, group and meter statistics requests (OpenFlow
 * 1.3.5 §7.3.5.2, §7.3.5.9, §7.3.5.12), each in one part, from its per-flow, per-group and per-meter
 * counts. Requests it does not model get no answer.
 */
final class FakeSwitchStats {
    private FakeSwitchStats() {
    }

    static List<OFStatsReply> answer(FakeFlowTable table, OFMessage request) {
        OFFactory of = FakeSwitchContext.OF13;
        if (request instanceof OFFlowStatsRequest flows) {
            long mask = flows.getCookieMask().getValue();
            List<OFFlowStatsEntry> entries = new ArrayList<>();
            for (FakeFlowTable.FakeFlow f : table.flows) {
                boolean tableOk = flows.getTableId().equals(TableId.ALL) || flows.getTableId().equals(f.mod.getTableId());
                boolean cookieOk = (f.mod.getCookie().getValue() & mask) == (flows.getCookie().getValue() & mask);
                if (tableOk && cookieOk && FakeMatches.covers(flows.getMatch(), f.mod.getMatch())) {
                    entries.add(of.buildFlowStatsEntry().setTableId(f.mod.getTableId()).setPriority(f.mod.getPriority())
                            .setCookie(f.mod.getCookie()).setMatch(f.mod.getMatch()).setInstructions(f.instructions)
                            .setIdleTimeout(f.mod.getIdleTimeout()).setPacketCount(U64.of(f.packets))
                            .setByteCount(U64.ZERO).build());
                }
            }
            return List.of(of.buildFlowStatsReply().setXid(request.getXid()).setEntries(entries).build());
        }
        if (request instanceof OFGroupStatsRequest groups) {
            List<OFGroupStatsEntry> entries = new ArrayList<>();
            table.groups.keySet().stream().filter(g -> groups.getGroup().equals(OFGroup.ALL) || groups.getGroup().equals(g))
                    .forEach(g -> entries.add(of.buildGroupStatsEntry().setGroup(g)
                            .setPacketCount(U64.of(table.groupPackets.getOrDefault(g, 0L))).setByteCount(U64.ZERO)
                            .setBucketStats(List.of()).build()));
            return List.of(of.buildGroupStatsReply().setXid(request.getXid()).setEntries(entries).build());
        }
        if (request instanceof OFMeterStatsRequest meters) {
            List<OFMeterStats> entries = new ArrayList<>();
            table.meters.forEach((id, meter) -> {
                if (meters.getMeterId() == FakeFlowTable.ALL_METERS || meters.getMeterId() == id) {
                    entries.add(of.buildMeterStats().setMeterId(id).setPacketInCount(U64.of(meter.packetsIn))
                            .setByteInCount(U64.ZERO).setBandStats(List.of(of.buildMeterBandStats()
                                    .setPacketBandCount(U64.of(meter.dropped)).setByteBandCount(U64.ZERO).build()))
                            .build());
                }
            });
            return List.of(of.buildMeterStatsReply().setXid(request.getXid()).setEntries(entries).build());
        }
        return List.of();
    }
}
