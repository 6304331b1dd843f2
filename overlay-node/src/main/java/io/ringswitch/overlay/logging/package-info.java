/**
 * The node's log output through Logback: one line of text per event, or one JSON object per line
 * ({@code --log-format json}, {@code RINGSWITCH_LOG_FORMAT=json}) with the peer, path and reason
 * that the code attaches as SLF4J key-value pairs as fields of their own.
 */
package io.ringswitch.overlay.logging;
