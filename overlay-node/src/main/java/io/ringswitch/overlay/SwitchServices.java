package io.ringswitch.overlay;

import io.netty.channel.EventLoop;
import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.controller.api.GatewayDirectory;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.NameDirectory;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.forwarding.DhtAddressPool;
import io.ringswitch.overlay.forwarding.DhtDirectory;
import io.ringswitch.overlay.forwarding.DhtMulticastDirectory;
import io.ringswitch.overlay.forwarding.DhtNameDirectory;
import io.ringswitch.overlay.gateway.GatewayChooser;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The overlay as the switch controller sees it ({@link OverlayServices}): the DHT's directory,
 * address pool, multicast membership, the full tunnel's chosen gateway and the group's host names,
 * each call moved onto the node's event loop (which owns the DHT and the gateway chooser), each
 * answer and each gateway change delivered there (the controller moves it onto its own thread). Remote MAC
 * events come from the forwarder, on the node's loop.
 */
final class SwitchServices {
    private final EventLoop loop;
    private volatile SiteDirectory.Listener listener;

    private SwitchServices(EventLoop loop) {
        this.loop = loop;
    }

    /** The services, and the sink through which the forwarder reports the remote MACs it learns and forgets. */
    record Wired(OverlayServices services, SiteDirectory.Listener remoteMacs) {
    }

    /**
     * {@code chooser}: null when this site is no full-tunnel client (no gateway ever: the tunnel
     * stays closed). {@code knownRemoteMacs}: the remote MACs the forwarder knows now, read on the loop and told
     * to a listener when it registers, since frames from the ring teach the forwarder MACs before
     * the bridge connects and the controller listens.
     */
    static Wired of(EventLoop loop, DhtDirectory directory, DhtAddressPool pool, DhtMulticastDirectory groups,
                    GatewayChooser chooser, DhtNameDirectory names, Supplier<List<MacAddress>> knownRemoteMacs) {
        SwitchServices s = new SwitchServices(loop);
        SiteDirectory site = new SiteDirectory() {
            @Override
            public void publish(InetAddress ip, MacAddress mac) {
                s.run(() -> directory.publish(ip, mac.getLong()));
            }

            @Override
            public void withdraw(InetAddress ip, MacAddress mac) {
                s.run(() -> directory.withdraw(ip));
            }

            @Override
            public CompletableFuture<Located> lookup(InetAddress ip) {
                return s.onLoop(() -> directory.lookup(ip));
            }

            @Override
            public CompletableFuture<Located> lookup(MacAddress mac) {
                return s.onLoop(() -> directory.lookup(mac.getLong()));
            }

            @Override
            public void listen(Listener l) {
                s.listener = l;
                // Without this, a MAC learnt before the controller listened never got its flow, and
                // every frame to it went through the flood path's 200 packets/s storm meter
                // (bench --peers: 80 Mbit/s TCP, 99 % of UDP lost, in about one run of four).
                s.run(() -> knownRemoteMacs.get().forEach(l::remoteMacLearned));
            }
        };
        AddressPool addresses = pool == null ? null : new AddressPool() {
            @Override
            public CompletableFuture<Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep) {
                return s.onLoop(() -> pool.claim(ip, holder, ttlMillis, keep));
            }

            @Override
            public CompletableFuture<byte[]> holder(int ip) {
                return s.onLoop(() -> pool.holder(ip));
            }

            @Override
            public CompletableFuture<byte[]> announcedBy(int ip) {
                return s.onLoop(() -> pool.announcedBy(ip));
            }
        };
        GroupDirectory members = new GroupDirectory() {
            @Override
            public void join(InetAddress group) {
                s.run(() -> groups.join(group));
            }

            @Override
            public void leave(InetAddress group) {
                s.run(() -> groups.leave(group));
            }

            @Override
            public CompletableFuture<Boolean> othersHaveMembers(InetAddress group) {
                return s.onLoop(() -> groups.othersHaveMembers(group));
            }
        };
        SiteDirectory.Listener remoteMacs = new SiteDirectory.Listener() {
            @Override
            public void remoteMacLearned(MacAddress mac) {
                SiteDirectory.Listener l = s.listener;
                if (l != null) {
                    l.remoteMacLearned(mac);
                }
            }

            @Override
            public void remoteMacForgotten(MacAddress mac) {
                SiteDirectory.Listener l = s.listener;
                if (l != null) {
                    l.remoteMacForgotten(mac);
                }
            }
        };
        GatewayDirectory gateways = chooser == null ? GatewayDirectory.none() : l -> s.run(() -> chooser.listen(l));
        NameDirectory hostNames = new NameDirectory() {
            @Override
            public String domain() {
                return names.domain();
            }

            @Override
            public void publish(String name, InetAddress ip) {
                s.run(() -> names.publish(name, ip));
            }

            @Override
            public void withdraw(String name, InetAddress ip) {
                s.run(() -> names.withdraw(name, ip));
            }

            @Override
            public CompletableFuture<List<InetAddress>> lookup(String name) {
                return s.onLoop(() -> names.lookup(name));
            }
        };
        return new Wired(new OverlayServices(site, addresses, members, gateways, hostNames), remoteMacs);
    }

    /** Runs a task on the node's loop; false when the loop takes no more (the node is stopping). */
    private boolean run(Runnable task) {
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs a DHT call on the node's loop and hands its answer over as it completes there. */
    private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        boolean queued = run(() -> {
            try {
                call.get().whenComplete((value, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (!queued) {
            answer.completeExceptionally(new RejectedExecutionException("the node is stopping"));
        }
        return answer;
    }
}
