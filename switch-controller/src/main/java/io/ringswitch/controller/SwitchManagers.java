package io.ringswitch.controller;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.forwarding.ForwardingManager;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.storm.StormControl;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that builds a switch's managers and wires them to each other. Order matters twice:
 * managers are told of a new connection and of ports in this order (storm control first, so that the
 * meters exist before any flow uses them), and a manager that another one calls is built before it.
 */
final class SwitchManagers {
    private SwitchManagers() {
    }

    static List<SwitchManager> build(SwitchContext context, ControllerConfig config, OverlayServices overlay) {
        List<SwitchManager> managers = new ArrayList<>();
        StormControl storm = new StormControl(context, config.switching().storm());
        ForwardingManager forwarding = new ForwardingManager(context, overlay.directory());
        managers.add(storm);
        managers.add(forwarding);
        // ---- MANAGERS OF THE OTHER HELPERS (issue 16): the merger adds them here, in this order ----
        //  controller.hosts:     hosts and ports, port security, ARP/ND responder (gets `forwarding` as its L2Table)
        //  controller.dhcp:      DHCP server (gets the hosts manager as its HostBindings, overlay.pool())
        //  controller.multicast: IGMP/MLD snooping and groups (overlay.groups())
        // ---- end of the managers of the other helpers ----
        return managers;
    }
}
