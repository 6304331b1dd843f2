package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.DefaultEventLoop;
import io.ringswitch.controller.api.SiteDirectory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.MacAddress;

/** The overlay's services as the controller meets them. */
class SwitchServicesTest {
    @Test
    void aControllerThatListensLateIsToldTheRemoteMacsLearntBefore() throws Exception {
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            MacAddress early = MacAddress.of("02:77:00:00:02:01");
            MacAddress later = MacAddress.of("02:77:00:00:03:01");
            SwitchServices.Wired wired = SwitchServices.of(loop, null, null, null, null, null, () -> List.of(early));
            // A frame from the ring taught the forwarder a MAC while no controller listened.
            wired.remoteMacs().remoteMacLearned(early);
            List<MacAddress> told = new CopyOnWriteArrayList<>();
            wired.services().directory().listen(new SiteDirectory.Listener() {
                @Override
                public void remoteMacLearned(MacAddress mac) {
                    told.add(mac);
                }

                @Override
                public void remoteMacForgotten(MacAddress mac) {
                }
            });
            loop.submit(() -> { }).await(5, TimeUnit.SECONDS);
            wired.remoteMacs().remoteMacLearned(later);
            assertEquals(List.of(early, later), told, "the MAC learnt before the controller listened gets its flow too");
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
