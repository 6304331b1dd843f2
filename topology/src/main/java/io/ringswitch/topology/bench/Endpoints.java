package io.ringswitch.topology.bench;

/**
 * Where a system is measured: iperf3 and ping run in {@code clientNamespace} towards
 * {@code serverAddress}, which lives in {@code serverNamespace}.
 */
public record Endpoints(String clientNamespace, String serverNamespace, String serverAddress) {
}
