/**
 * The lab's stand-in for the Internet (issue 17): one process in the lab's internet namespace that
 * serves a web page and answers DNS for a few names, and writes down the source address of every
 * request, so that a tour can tell whether a client's traffic came out of a gateway or leaked.
 */
package io.ringswitch.topology.internet;
