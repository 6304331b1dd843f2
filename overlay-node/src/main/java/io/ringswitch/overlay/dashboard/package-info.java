/**
 * The operator's live dashboard (issue 20): a page that draws the ring as a circle with every link
 * coloured by its path kind, and the JSON it polls, served by the JDK's HTTP server on the operator
 * address (loopback by default). The node serves its own status; {@code ringswitch dashboard}
 * serves a whole lab's with the same page.
 */
package io.ringswitch.overlay.dashboard;
