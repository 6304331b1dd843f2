/**
 * OpenFlow 1.3 controller for the site bridge: the channel (framing, handshake, keepalive) and the
 * flow pipeline it programs. Controller logic returns lists of {@code OFMessage}; a thin channel
 * layer sends them.
 */
package io.ringswitch.controller;
