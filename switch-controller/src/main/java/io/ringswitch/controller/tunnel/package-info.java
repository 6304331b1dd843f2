/**
 * The full tunnel's flows (DESIGN.md, "Full tunnel by flow rules"): at a client, the uplink and the
 * node's underlay port talk only to each other and frames for the Internet go to the chosen
 * gateway's MAC through the overlay port, or nowhere while there is none (fail closed); at a
 * gateway, its gateway port joins the bridge from its own MAC only. A client is also its hosts'
 * IPv6 router, whose advertisements give hosts an IPv6 default route only while IPv6 is carried.
 */
package io.ringswitch.controller.tunnel;
