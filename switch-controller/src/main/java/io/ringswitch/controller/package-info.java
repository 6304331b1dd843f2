/**
 * OpenFlow 1.3 controller for the site bridge: the channel (framing, handshake, keepalive) and the
 * dispatcher that hands one switch's events to its managers. Controller logic returns lists of
 * {@code OFMessage}; a thin channel layer sends them.
 *
 * <pre>
 * switch channel --OFMessage--> SwitchSessionHandler --> SwitchPipeline (one per switch)
 *   handshake done   empty flows, groups, meters; miss flows; each manager's switchReady; barrier
 *   PORT_DESC/STATUS portAdded / portRemoved to every manager (overlay port by name, trusted by config);
 *                    infrastructure ports (a full tunnel's uplink and underlay port, a gateway port)
 *                    only to the managers that seesInfrastructurePorts(), and never in localPorts()
 *   PACKET_IN        to the manager owning the cookie's low 32 bits (Cookies.owner)
 *   every second     each manager's tick; every 5 s FLOW/GROUP/METER_STATS, kept in SwitchStats
 *
 * frame: 0 PORT_SECURITY -> 1 PUNT -> 2 L2_LOOKUP -> 3 MULTICAST   (see pipeline.Tables)
 * </pre>
 * The managers of a switch are built in {@link io.ringswitch.controller.SwitchManagers}.
 */
package io.ringswitch.controller;
