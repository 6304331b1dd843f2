/**
 * {@code bench --peers}: RingSwitch measured next to a raw veth pair and other VPNs (wireguard-go,
 * tinc, OpenVPN, n2n, Open vSwitch's userspace VXLAN), each brought up alone between two network
 * namespaces, measured with the same iperf3 and ping runs and removed before the next one starts.
 * One small {@link io.ringswitch.topology.bench.PeerSystem} per system; {@link io.ringswitch.topology.bench.PeerBench} runs them.
 * Also the lab benchmarks: switch mode ({@link io.ringswitch.topology.bench.SwitchBench}) and relayed
 * links per relay choice ({@link io.ringswitch.topology.bench.RelayBench}, {@code bench relays}).
 */
package io.ringswitch.topology.bench;
