/** The {@code ringswitch} command line: lab, demo, bench and node. */
package io.ringswitch.topology.cli;
