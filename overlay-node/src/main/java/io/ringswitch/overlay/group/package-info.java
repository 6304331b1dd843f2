/**
 * The group server and its clients (issue 19): a web page where a site asks to join and an
 * administrator approves it, one-time enrolment tokens that let a node get its certificate from a
 * request made with a key that never leaves it, short-lived certificates that the node renews
 * before two thirds of their lifetime, a CA-signed revocation list, and the members' signed
 * reports of their live peers that tell the administrator who is online from the ring's view.
 */
package io.ringswitch.overlay.group;
