package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.util.List;

/**
 * Closes the links nobody needs: a routable link that neither side claims (a peer that never said
 * gets three status periods), and a join link once the join it carried is done.
 */
final class Trimmer {
    private final LinkTable table;
    private final RingConfig config;

    Trimmer(LinkTable table) {
        this.table = table;
        this.config = table.config();
    }

    void trim() {
        long now = table.now();
        long grace = 3 * config.statusMillis();
        for (Link link : table.clockwise()) {
            trim(link, now, grace);
        }
        for (Link link : table.unroutable()) {
            trim(link, now, grace);
        }
    }

    private void trim(Link link, long now, long grace) {
        boolean old = now - link.created() > grace;
        if (old) {
            link.release(Claim.JOIN);
        }
        if (!link.routable()) {
            if (old) {
                table.send(link, new RingMessage.Close(table.me(), List.of()));
                table.remove(link, "the join it carried is done");
            }
        } else if (link.unclaimed() && link.peerClaim() == null && (link.peerDeclared() || old)) {
            table.close(link, "trimmed: neither side claims it");
            table.counters().linksTrimmed.inc();
        }
    }
}
