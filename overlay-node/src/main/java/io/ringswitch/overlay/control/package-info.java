/**
 * The node's local control socket (issue 20): a Unix domain socket only root reaches, one JSON
 * request a line and one JSON answer a line, through which {@code ringswitch status} reads the
 * node's status and {@code ringswitch ping} asks it how a packet reaches another site.
 */
package io.ringswitch.overlay.control;
