/**
 * Labs: sites, hosts and the underlay in network namespaces, each site with its own Open vSwitch
 * instance and RingSwitch node process. A lab is described in YAML and leaves a state file so that
 * {@code lab down} can remove all of it, even after a crash. {@link io.ringswitch.topology.SiteHealth}
 * alone decides whether a site's node is up.
 */
package io.ringswitch.topology;
