package io.ringswitch.controller;

/**
 * A HELLO in an OpenFlow version that Loxi cannot parse. Only its version matters: OpenFlow
 * 1.3.5 §6.3.1 negotiates on it when no version bitmap can be read.
 */
record ForeignHello(int wireVersion) {
}
