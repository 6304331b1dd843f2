package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OvsControllerDialInTest {
    /** As {@code ovs-vsctl list Controller UUID} printed it for a lab site's bridge (OVS 3.1). */
    private static final String LISTING = """
            _uuid               : 6bee7d0b-c3c4-4081-81ed-1dd6a29eaeb2
            connection_mode     : []
            controller_burst_limit: []
            controller_queue_size: []
            controller_rate_limit: 100
            enable_async_messages: []
            external_ids        : {owner=lab}
            inactivity_probe    : 5000
            is_connected        : false
            local_gateway       : []
            max_backoff         : 1000
            other_config        : {}
            role                : other
            status              : {last_error="Connection refused", sec_since_connect="36", state=BACKOFF}
            target              : "unix:/run/ringswitch/cold/s1/openflow/controller.sock"
            type                : []
            """;

    @Test
    void theRowIsWrittenBackWithEverySettingItHadAndNoStatus() {
        assertEquals(Map.of("controller_rate_limit", "100", "external_ids", "{owner=lab}", "inactivity_probe", "5000",
                        "max_backoff", "1000", "target", "\"unix:/run/ringswitch/cold/s1/openflow/controller.sock\""),
                OvsControllerDialIn.columns(LISTING));
    }

    @Test
    void onlyABridgeThatWaitsOutItsBackoffIsAskedToDial() {
        assertTrue(OvsControllerDialIn.backingOff(LISTING));
        assertFalse(OvsControllerDialIn.backingOff(LISTING.replace("state=BACKOFF", "state=ACTIVE")));
        assertFalse(OvsControllerDialIn.backingOff(LISTING.replace("state=BACKOFF", "state=CONNECTING")));
    }
}
