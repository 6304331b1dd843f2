package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole lab's statuses merged into one answer for the dashboard ({@code ringswitch dashboard}):
 * every site, whether its node is up ({@link SiteHealth}, the judgement {@code lab status} uses),
 * what stands in front of it, and its node's last status as the node wrote it, so that the page
 * draws every node and every link from one poll.
 *
 * @param lab   the lab's name
 * @param sites every site of the lab, in order, also those whose node is down
 */
public record LabRingStatus(String lab, List<Site> sites) {

    public LabRingStatus {
        sites = List.copyOf(sites);
    }

    /**
     * One site.
     *
     * @param site   its number
     * @param edge   what stands in front of it ({@code open}, {@code random}, {@code udp-blocked}, ...)
     * @param member whether its node holds a certificate of the lab's group (false for a site a lab
     *               gives a bad one on purpose)
     * @param up     whether its node is up
     * @param why    why it is down; empty when up
     * @param status its node's last status, also when it is down (null when it never wrote one)
     */
    public record Site(int site, String edge, boolean member, boolean up, String why, NodeStatus status) {
    }

    /** The statuses of the sites of {@code spec}, judged as {@code health} judged them. */
    public static LabRingStatus of(LabSpec spec, List<SiteHealth> health) {
        return new LabRingStatus(spec.name(), health.stream().map(h -> new Site(h.site(), spec.edge(h.site()).id(),
                spec.member(h.site()), h.up(), h.why(), h.status().orElse(null))).toList());
    }

    /**
     * The statuses of the lab whose run directory is {@code runDir}, read from its status files now;
     * empty when no lab is up there.
     */
    public static Optional<LabRingStatus> read(Path runDir) throws IOException {
        Optional<LabState> state = LabState.read(runDir);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        LabSpec spec = state.get().spec();
        return Optional.of(of(spec, SiteHealth.of(runDir, spec.sites())));
    }

    /** The sites whose node is up. */
    public List<Site> upSites() {
        return sites.stream().filter(Site::up).toList();
    }
}
