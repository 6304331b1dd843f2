package io.ringswitch.topology.bench;

/**
 * A process that belongs to a system under test.
 *
 * @param side {@code a} (the client's side) or {@code b} (the server's side)
 * @param pid  its process id
 */
public record Daemon(String side, long pid) {
}
