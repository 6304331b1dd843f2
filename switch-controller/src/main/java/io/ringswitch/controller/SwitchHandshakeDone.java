package io.ringswitch.controller;

import org.projectfloodlight.openflow.types.DatapathId;

/** Fired down the pipeline once HELLO and FEATURES have been exchanged with a switch. */
record SwitchHandshakeDone(DatapathId dpid) {
}
